import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBootstrap, type BootstrapRun, type Operation } from '../../bootstrap/automation';
import { goModules } from '../../constructs/catalog';
import type { Fleet } from '../../fleet/fleet';
import { contains, parseCidr } from '../../constructs/common/ip';
import { LabKube, readKubeconfig } from '../../lab/argocd';
import { labDown, labUp, type LabCluster } from '../../lab/lab';
import { podsNotReady, waitForPodsReady } from '../../lab/pods';
import { sleep } from '../../lab/process';
import { argoOrder } from '../bootstrap/argo-order';
import { installedPlugins, objectSteps, type Step } from '../bootstrap/engine-harness';
import { dig, hostSnapshot, until } from './host';

/**
 * Mode `direct` on a real node: the lab brings test-x's node up WITHOUT its Argo CD (NotReady: no pod
 * network yet), and the bootstrap's inline Automation API entry, with the locally built CLI and
 * provider, applies the lab copy of charts-out/test-x/ (the lab's fleet module and charts-out, so the
 * freshness check and the context guard hold against the mapped apiServer). Workloads are awaited as
 * on any cluster: the cni stack's DaemonSet writes the node's conflist, the node turns Ready, then
 * MetalLB, cluster DNS and the gateway. Then: every Pod Ready, cluster DNS answers a Pod, the gateway
 * answers a LoadBalancer Service's name on the lab bridge, a second preview has no change, destroy
 * removes everything dependents first within a bound, and the host is as before.
 */

const CLUSTER = 'test-x';
const ZONE = 'test.platform.example';
const times: Record<string, number> = {};

/**
 * The lab's bridge, namespaces and iptables chains are host-global, and other lab tests (tier.test.ts,
 * also on test-x; a CI run in another clone) may start at the same moment: wait (bounded) until none
 * runs. The grace first lets a lab test started beside this one claim the host.
 */
async function waitForNoOtherLab(timeoutMs: number): Promise<number> {
  const begin = Date.now();
  await sleep(20_000);
  const quiet = () => {
    const ok = (cmd: string, args: string[]) => { try { execFileSync(cmd, args, { stdio: 'ignore' }); return true; } catch { return false; } };
    return !ok('ip', ['link', 'show', 'fl-lab0']) && !ok('pgrep', ['-x', 'kubelet']) && !ok('pgrep', ['-f', 'kubelet-v1']);
  };
  // Quiet twice, 10 s apart: a lab test between two of its clusters has the bridge down for a moment.
  for (let quietTimes = 0; quietTimes < 2; quietTimes = quiet() ? quietTimes + 1 : 0) {
    if (Date.now() - begin > timeoutMs) throw new Error(`another lab still runs after ${timeoutMs / 1000}s (bridge fl-lab0 or a kubelet); stop it (npm run lab -- down) and run again`);
    await sleep(10_000);
  }
  return Date.now() - begin;
}

describe('bootstrap mode direct on the lab node of test-x (no Argo CD): real engine, real Pods', () => {
  let before: ReturnType<typeof hostSnapshot>;
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  const work = mkdtempSync(join(tmpdir(), 'fleetnet-lab-bootstrap-'));
  let lab: LabCluster;
  let fleet: Fleet;
  let kube: LabKube;
  let proxy: Server;
  let connections = 0;
  let proxyUrl = '';

  const run = (operation: Operation): Promise<BootstrapRun> =>
    runBootstrap({
      operation,
      program: { fleet, stack: CLUSTER, chartsOut: lab.chartsOut, kubeconfigContext: lab.context, kubeconfig: lab.kubeconfig },
      backendUrl: `file://${join(work, 'state')}`,
      passphrase: 'fleetnet-test-only',
      pulumiHome: join(work, 'pulumi-home'),
      workDir: join(work, 'workspace'),
      // Any download would connect to the counting port; the lab's API server (198.18/15) and the engine's gRPC are direct.
      env: { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, https_proxy: proxyUrl, http_proxy: proxyUrl, NO_PROXY: '127.0.0.1,localhost,198.18.0.0/15', no_proxy: '127.0.0.1,localhost,198.18.0.0/15', KUBECONFIG: lab.kubeconfig },
      timeoutMs: 15 * 60_000,
    });
  const order = () => argoOrder(lab.chartsOut, CLUSTER);
  /** For each pair Argo CD orders, the engine finished the first before it started the second (reversed for deletes). */
  const expectOrdered = (steps: readonly Step[], op: string, reverse = false) => {
    const { objects, before: first } = order();
    const start = new Map(steps.filter((s) => s.kind === 'start' && s.op === op).map((s) => [s.key, s.sequence]));
    const done = new Map(steps.filter((s) => s.kind === 'done' && s.op === op).map((s) => [s.key, s.sequence]));
    let pairs = 0;
    for (const a of objects) {
      for (const b of objects) {
        if (a === b || !first(a, b)) continue;
        pairs++;
        const [x, y] = reverse ? [b, a] : [a, b];
        expect(done.get(x.key)!, `${op}: ${x.key} done before ${y.key} starts`).toBeLessThan(start.get(y.key)!);
      }
    }
    expect(pairs).toBeGreaterThan(20);
  };

  beforeAll(async () => {
    proxy = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const address = proxy.address();
    proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    times.waitedForOtherLabs = (await waitForNoOtherLab(25 * 60_000)) / 1000;
    await labDown({ clusters: [CLUSTER], log }); // what a crashed earlier run of this test left
    before = hostSnapshot();
    let begin = Date.now();
    lab = await labUp({ cluster: CLUSTER, argocd: false, log });
    times.labUp = (Date.now() - begin) / 1000;
    expect(lab.argocd).toBe(false);
    fleet = ((await import(pathToFileURL(lab.fleetModule).href)) as { fleet: Fleet }).fleet;
    expect(fleet.cluster(CLUSTER).bootstrapMode).toBe('direct');
    expect(fleet.cluster(CLUSTER).apiServer).toBe(`https://${lab.slot.nodeIP}:6443`);
    kube = new LabKube(readKubeconfig(lab.kubeconfig));
    begin = Date.now();
    // No Argo CD: nothing runs on the node before the bootstrap.
    expect((await kube.list('v1', 'pods')).length).toBe(0);
    expect(await kube.get('v1', 'namespaces', 'argocd')).toBeUndefined();
    times.checked = (Date.now() - begin) / 1000;
  }, 45 * 60_000);

  afterAll(async () => {
    kube?.close();
    const begin = Date.now();
    if (!before) return; // never started (another lab held the host)
    const problems = await labDown({ clusters: [CLUSTER], log });
    times.labDown = (Date.now() - begin) / 1000;
    await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
    rmSync(work, { recursive: true, force: true });
    console.log(`bootstrap direct on the lab node of ${CLUSTER}, seconds: ${JSON.stringify(times)}`);
    expect(problems).toEqual([]);
    expect(hostSnapshot()).toEqual(before);
  }, 5 * 60_000);

  it('preview: every object of the lab copy of charts-out/test-x/ is a create, in sync-wave order', async () => {
    const r = await run('preview');
    times.preview = r.durationMs / 1000;
    const steps = objectSteps(r.events);
    expect(steps.filter((s) => s.kind === 'start' && s.op === 'create').map((s) => s.key).sort()).toEqual(order().objects.map((o) => o.key).sort());
    expectOrdered(steps, 'create');
  }, 10 * 60_000);

  it('up: creates them in that order, waiting for each wave\'s workloads; the node turns Ready on test-x\'s own CNI and every Pod is Ready', async () => {
    const r = await run('up');
    times.up = r.durationMs / 1000;
    const steps = objectSteps(r.events);
    expect(steps.filter((s) => s.kind === 'done' && s.op === 'create').map((s) => s.key).sort()).toEqual(order().objects.map((o) => o.key).sort());
    expectOrdered(steps, 'create');
    const node = await kube.get('v1', 'nodes', lab.node);
    expect(node.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    const begin = Date.now();
    const pods = await waitForPodsReady(kube, 3 * 60_000);
    times.podsReadyAfterUp = (Date.now() - begin) / 1000;
    expect(pods).toBeGreaterThan(3);
    expect((await podsNotReady(kube)).notReady).toEqual([]);
  }, 20 * 60_000);

  it('DNS answers: cluster DNS to a Pod; the gateway Pod, on the lab bridge, a LoadBalancer Service\'s hostname annotation (and not its own name then)', async () => {
    const clusterDomain = fleet.cluster(CLUSTER).clusterDomain;
    const kubernetesIP = (await kube.get('v1', 'services', 'kubernetes', 'default')).spec.clusterIP as string;
    await kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dns-client', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'client', image: 'docker.io/library/busybox:1.37.0',
          command: ['sh', '-c', `for i in $(seq 1 30); do nslookup kubernetes.default.svc.${clusterDomain} && exit 0; sleep 2; done; exit 1`],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }],
      } } as never, 'pods');
    let begin = Date.now();
    const phase = await until('the client Pod to finish', 120_000, async () => {
      const p = await kube.get('v1', 'pods', 'dns-client', 'default');
      return ['Succeeded', 'Failed'].includes(p?.status?.phase) ? (p.status.phase as string) : undefined;
    });
    times.podDnsAnswered = (Date.now() - begin) / 1000;
    const logs = (await kube.request('GET', '/api/v1/namespaces/default/pods/dns-client/log')).body as string;
    expect(phase, logs).toBe('Succeeded');
    expect(logs).toContain(kubernetesIP);
    expect(await kube.delete('v1', 'pods', 'dns-client', 'default')).toBe(true);

    const hostname = `direct-web.${ZONE}`;
    await kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', annotations: { 'external-dns.alpha.kubernetes.io/hostname': hostname } },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as never, 'services');
    begin = Date.now();
    const ip = await until('the LoadBalancer address', 60_000, async () => (await kube.get('v1', 'services', 'web', 'default'))?.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined);
    expect(contains(parseCidr('198.18.5.64/27')!, ip)).toBe(true); // test-x's pool, mapped
    const gateway = fleet.cluster(CLUSTER).dns.gatewayIP!;
    expect(await until('the gateway answer (hostname annotation)', 60_000, async () => dig(gateway, hostname) || undefined)).toBe(ip);
    times.gatewayAnswered = (Date.now() - begin) / 1000;
    // The annotation replaces the Service's own name (k8s_gateway indexes one or the other): not answered.
    expect(dig(gateway, `web.default.${ZONE}`)).toBe('');
    // Not the bootstrap's: removed before destroy (MetalLB is among what destroy removes).
    expect(await kube.delete('v1', 'services', 'web', 'default')).toBe(true);
    await until('the Service gone', 60_000, async () => ((await kube.get('v1', 'services', 'web', 'default')) === undefined ? true : undefined));
  }, 6 * 60_000);

  it('a second preview shows no changes', async () => {
    const r = await run('preview');
    times.previewAgain = r.durationMs / 1000;
    expect(Object.keys(r.changes).filter((op) => op !== 'same')).toEqual([]);
    expect(r.changes.same).toBeGreaterThanOrEqual(order().objects.length);
  }, 10 * 60_000);

  it('destroy: removes everything, dependents first, within the bound; the Namespaces are gone', async () => {
    const r = await run('destroy');
    times.destroy = r.durationMs / 1000;
    const steps = objectSteps(r.events);
    expect(steps.filter((s) => s.kind === 'done' && s.op === 'delete').map((s) => s.key).sort()).toEqual(order().objects.map((o) => o.key).sort());
    expectOrdered(steps, 'delete', true);
    for (const { object } of order().objects) {
      if (object.kind === 'Namespace') expect(await kube.get('v1', 'namespaces', object.metadata.name), object.metadata.name).toBeUndefined();
    }
  }, 16 * 60_000);

  it('nothing was downloaded: no connection to the proxy, only the locally built provider in PULUMI_HOME', () => {
    expect(Object.keys(times)).toEqual(expect.arrayContaining(['preview', 'up', 'previewAgain', 'destroy']));
    expect(connections).toBe(0);
    expect(installedPlugins(join(work, 'pulumi-home'))).toEqual([`resource-kubernetes-v${goModules.pulumiKubernetesProvider.release}`]);
  });
});
