import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabKube, readKubeconfig } from '../../lab/argocd';
import { labDown, labUp, type LabCluster } from '../../lab/lab';
import { hostSnapshot, until } from './host';
import { nodeRules, startKubeRouter } from './kube-router';

/**
 * The synthesized NetworkPolicies enforced by a real policy implementation: test-x on a lab node,
 * synced by Argo CD (its stacks carry the policies), then kube-router's firewall alone
 * (`--run-firewall=true --run-router=false --run-service-proxy=false`) in the node's network namespace.
 * kube-router is a lab-only enforcer, built by tools/kube-router/build.sh; nothing ships it. A Pod in
 * the monitoring namespace and a Pod in `default` each try cluster DNS, the gateway's DNS and the
 * metrics ports of cluster DNS and the gateway. Without the enforcer every port is open to both (the
 * policies alone do nothing); with it, DNS stays open to both and metrics only to the monitoring Pod.
 */

const CLUSTER = 'test-x';
const ZONE = 'test.platform.example';

type Reach = Record<string, 'open' | 'refused'>;

describe('lab: NetworkPolicies of test-x enforced by kube-router on a real node', () => {
  let before: ReturnType<typeof hostSnapshot>;
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  let lab: LabCluster;
  let kube: LabKube;
  let router: ChildProcess | undefined;
  const record: Record<string, unknown> = {};
  let probes = 0;

  beforeAll(async () => {
    await labDown({ clusters: [CLUSTER], log });
    before = hostSnapshot();
    const begin = Date.now();
    lab = await labUp({ cluster: CLUSTER, log, timeoutMs: 12 * 60_000 });
    record.labUpSeconds = (Date.now() - begin) / 1000;
    kube = new LabKube(readKubeconfig(lab.kubeconfig));
  }, 15 * 60_000);

  afterAll(async () => {
    if (router && router.exitCode === null) {
      router.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 2000));
    }
    kube?.close();
    console.log(`network policy lab: ${JSON.stringify(record)}`);
    const problems = await labDown({ clusters: [CLUSTER], log });
    expect(problems).toEqual([]);
    expect(hostSnapshot()).toEqual(before);
  }, 5 * 60_000);

  /** Runs one client Pod in `namespace` that tries each target once (3 s bound each) and reports open/refused. */
  async function probe(namespace: string, targets: Record<string, string>): Promise<Reach> {
    const name = `probe-${++probes}`;
    const script = [
      'check() { if sh -c "$2" >/dev/null 2>&1; then echo "$1=open"; else echo "$1=refused"; fi; }',
      ...Object.entries(targets).map(([k, cmd]) => `check ${k} '${cmd}'`),
    ].join('\n');
    await kube.apply({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace },
      spec: {
        restartPolicy: 'Never',
        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'client', image: 'docker.io/library/busybox:1.37.0', command: ['sh', '-c', script],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }],
      },
    } as never, 'pods');
    await until(`probe ${namespace}/${name} to finish`, 180_000, async () => {
      const p = await kube.get('v1', 'pods', name, namespace);
      return ['Succeeded', 'Failed'].includes(p?.status?.phase) ? true : undefined;
    });
    const logs = (await kube.request('GET', `/api/v1/namespaces/${namespace}/pods/${name}/log`)).body as string;
    return Object.fromEntries(logs.trim().split('\n').map((l) => l.split('=') as [string, 'open' | 'refused']));
  }

  it('opens DNS to every Pod and the metrics ports only to Pods of the monitoring namespace, once kube-router enforces', async () => {
    const podIP = async (ns: string, selector: string) => {
      const pods = (await kube.request('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items;
      const ip = pods.find((p: any) => p.status?.podIP && !p.metadata.deletionTimestamp)?.status.podIP;
      if (!ip) throw new Error(`no running Pod ${ns}/${selector}`);
      return ip as string;
    };
    const dnsIP = (await kube.get('v1', 'services', 'kube-dns', 'kube-system')).spec.clusterIP as string;
    const gatewayIP = (await kube.get('v1', 'services', 'gateway', 'dns-gateway')).status.loadBalancer.ingress[0].ip as string;
    const coredns = await podIP('kube-system', 'k8s-app=kube-dns');
    const gateway = await podIP('dns-gateway', 'app.kubernetes.io/name=gateway');
    const policies = (await kube.list('networking.k8s.io/v1', 'networkpolicies')).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    record.policies = policies;
    expect(policies).toEqual(['dns-gateway/gateway', 'kube-system/coredns', 'metallb-system/metallb-controller']);
    const domain = /kubernetes (\S+) in-addr\.arpa/.exec((await kube.get('v1', 'configmaps', 'coredns', 'kube-system')).data.Corefile)![1];
    const targets = {
      'cluster-dns': `nslookup kubernetes.default.svc.${domain} ${dnsIP}`,
      'gateway-dns': `nslookup -type=soa ${ZONE} ${gatewayIP}`,
      // HTTP by hand through nc: busybox 1.37's wget crashes (SIGSEGV) in this Pod.
      'cluster-dns-metrics': `printf "GET /metrics HTTP/1.0\\r\\n\\r\\n" | nc -w 3 ${coredns} 9153 | grep -q "200 OK"`,
      'gateway-metrics': `printf "GET /metrics HTTP/1.0\\r\\n\\r\\n" | nc -w 3 ${gateway} 9153 | grep -q "200 OK"`,
      // Not in any policy: refused to everyone once enforced (kubelet's probes come from the node, which stays allowed).
      'cluster-dns-health': `nc -w 3 ${coredns} 8080 </dev/null`,
    };
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } }, 'namespaces');
    const allOpen = { 'cluster-dns': 'open', 'gateway-dns': 'open', 'cluster-dns-metrics': 'open', 'gateway-metrics': 'open', 'cluster-dns-health': 'open' };

    // No enforcer yet: the policies are objects and nothing more.
    expect(await probe('default', targets)).toEqual(allOpen);

    const logFile = join(lab.dir, 'logs', 'kube-router.log');
    router = startKubeRouter({ netns: `fleetnet-lab-${CLUSTER}`, kubeconfig: lab.kubeconfig, node: lab.node, serviceCidr: lab.slot.serviceCidr, logFile });
    const started = Date.now();
    // Its policy chains for both policies of this node's Pods, in the node's iptables.
    await until('kube-router\'s policy chains', 120_000, async () => {
      if (router!.exitCode !== null) throw new Error(`kube-router exited ${router!.exitCode}; see ${logFile}`);
      const rules = nodeRules(`fleetnet-lab-${CLUSTER}`);
      return (rules.match(/^-N KUBE-NWPLCY-/gm) ?? []).length >= 3 && rules.includes(coredns) && rules.includes(gateway) ? true : undefined;
    });
    record.kubeRouterRulesSeconds = (Date.now() - started) / 1000;

    const fromDefault = await probe('default', targets);
    const fromMonitoring = await probe('monitoring', targets);
    record.fromDefault = fromDefault;
    record.fromMonitoring = fromMonitoring;
    expect(fromDefault).toEqual({ 'cluster-dns': 'open', 'gateway-dns': 'open', 'cluster-dns-metrics': 'refused', 'gateway-metrics': 'refused', 'cluster-dns-health': 'refused' });
    expect(fromMonitoring).toEqual({ ...allOpen, 'cluster-dns-health': 'refused' });
    expect(router.exitCode).toBeNull();
  }, 15 * 60_000);
});
