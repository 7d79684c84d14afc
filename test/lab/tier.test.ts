import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contains, parseCidr } from '../../constructs/common/ip';
import { LabKube, pushCommit, readKubeconfig, requestRefresh, waitForApplications } from '../../lab/argocd';
import { clusterDir, labDown, labUp, LabCluster } from '../../lab/lab';
import { ROOT } from '../../lab/paths';
import { podsNotReady } from '../../lab/pods';
import { dig, hostSnapshot, until } from './host';

/**
 * The test tier for real: test-mgmt and test-x each on a lab node of its own (network namespace,
 * containerd, kubelet, kube-proxy, control plane), both synced by a real Argo CD from a local Git
 * repository holding the lab copy of charts-out. Then the DNS journey through Pods: a LoadBalancer
 * Service gets its address from the MetalLB controller, the speaker answers ARP for it on the lab
 * bridge, the gateway Pod answers its name, the authority Pod (the other cluster) answers it through
 * fanout, and a Pod of test-x finds it through cluster DNS. Everything the lab changed on the host is
 * compared with how it was before.
 */

const ZONE = 'test.platform.example';
const BOUND_MS = 20 * 60_000;

describe('lab: the test tier (test-mgmt + test-x) on real nodes, synced by real Argo CD', () => {
  const before = hostSnapshot();
  const up: Record<string, LabCluster> = {};
  const kube: Record<string, LabKube> = {};
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);

  beforeAll(async () => {
    await labDown({ clusters: ['test-mgmt', 'test-x'], log }); // what a crashed earlier run left
    // A lab killed with SIGKILL half-way (node running, Argo CD starting): `down` alone cleans it all up.
    const crashed = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'lab/cli.ts'), 'test-x', '--no-wait'], { stdio: 'ignore' });
    await until('the crashing lab to start its node', 180_000, async () => (existsSync(join(clusterDir('test-x'), 'pids.json')) ? true : undefined));
    crashed.kill('SIGKILL');
    expect(await labDown({ clusters: ['test-x'], log })).toEqual([]);
    expect(hostSnapshot()).toEqual(before);
    for (const name of ['test-mgmt', 'test-x']) {
      up[name] = await labUp({ cluster: name, log, timeoutMs: 12 * 60_000 });
      kube[name] = new LabKube(readKubeconfig(up[name].kubeconfig));
    }
  }, 2 * BOUND_MS);

  afterAll(async () => {
    for (const k of Object.values(kube)) k.close();
    const problems = await labDown({ clusters: ['test-mgmt', 'test-x'], log });
    expect(problems).toEqual([]);
    const after = hostSnapshot();
    expect(after).toEqual(before);
  }, 5 * 60_000);

  it('reaches every Application Synced and Healthy by Argo CD\'s own health, and every Pod Ready', async () => {
    for (const name of ['test-mgmt', 'test-x']) {
      const { states } = await waitForApplications(kube[name], { timeoutMs: 60_000 });
      expect(states.map((s) => s.name).sort()).toContain('fleetnet-root');
      expect(states.every((s) => s.sync === 'Synced' && s.health === 'Healthy')).toBe(true);
      const pods = await podsNotReady(kube[name]);
      expect(pods.notReady).toEqual([]);
      expect(pods.total).toBeGreaterThan(3);
    }
    console.log(`lab timings (ms from start): ${JSON.stringify(Object.fromEntries(Object.entries(up).map(([k, v]) => [k, v.timings])))}`);
  }, 2 * 60_000);

  it('gives a LoadBalancer Service an address from the real MetalLB controller; the gateway and the authority Pods answer its name', async () => {
    const k = kube['test-x'];
    await k.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as never, 'services');
    const ip = await until('the LoadBalancer address', 60_000, async () => (await k.get('v1', 'services', 'web', 'default'))?.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined);
    expect(contains(parseCidr('198.18.5.64/27')!, ip)).toBe(true); // test-x's pool, mapped
    // The gateway's own address: the speaker in test-x's node answers ARP for it on the lab bridge.
    const viaGateway = await until('the gateway answer', 60_000, async () => dig('198.18.5.66', `web.default.${ZONE}`) || undefined);
    expect(viaGateway).toBe(ip);
    // The tier authority, on the other cluster (test-mgmt), fans out to the gateway.
    const viaAuthority = await until('the authority answer', 60_000, async () => dig('198.18.4.53', `web.default.${ZONE}`) || undefined);
    expect(viaAuthority).toBe(ip);
  }, 4 * 60_000);

  it('answers the name to a Pod of test-x through cluster DNS (cluster DNS -> authority on test-mgmt -> gateway)', async () => {
    const k = kube['test-x'];
    const ip = (await k.get('v1', 'services', 'web', 'default')).status.loadBalancer.ingress[0].ip as string;
    await k.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dns-client', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'client', image: 'docker.io/library/busybox:1.37.0',
          command: ['sh', '-c', `for i in $(seq 1 30); do nslookup web.default.${ZONE} && exit 0; sleep 2; done; exit 1`],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }],
      } } as never, 'pods');
    const phase = await until('the client Pod to finish', 120_000, async () => {
      const p = await k.get('v1', 'pods', 'dns-client', 'default');
      return ['Succeeded', 'Failed'].includes(p?.status?.phase) ? (p.status.phase as string) : undefined;
    });
    const logs = (await k.request('GET', '/api/v1/namespaces/default/pods/dns-client/log')).body as string;
    expect(phase, logs).toBe('Succeeded');
    expect(logs).toContain(ip);
  }, 3 * 60_000);

  it('rolls out a record change committed to Git (the gateway TTL), prunes a file removed from Git, heals a hand-deleted object', async () => {
    const k = kube['test-x'];
    const repo = up['test-x'].git;
    const stack = join(repo.workDir, repo.basePath, 'test-x', 'cluster-gateway');
    const app = 'fleetnet-cluster-gateway';
    const ttlOf = () => {
      const out = execFileSync('dig', ['+noall', '+answer', '+time=2', '+tries=1', '@198.18.5.66', `web.default.${ZONE}`, 'A'], { encoding: 'utf8' });
      return Number(out.trim().split(/\s+/)[1]);
    };
    expect(ttlOf()).toBe(30);
    const commit = pushCommit(repo, 'gateway answers with TTL 45; no PodDisruptionBudget', (work) => {
      const file = join(stack, 'configmap.gateway.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\bttl 30\b/, 'ttl 45'));
      rmSync(join(stack, 'poddisruptionbudget.gateway.yaml'));
      void work;
    });
    await requestRefresh(k, [app]);
    await waitForApplications(k, { names: [app], revision: commit, timeoutMs: 180_000 });
    // Pruned by Argo CD (foreground deletion, finished by the garbage collector of kube-controller-manager).
    await until('the PodDisruptionBudget pruned', 120_000, async () => ((await k.get('policy/v1', 'poddisruptionbudgets', 'gateway', 'dns-gateway')) ? undefined : true));
    // The ConfigMap reaches the Pod's volume (kubelet sync), CoreDNS's reload plugin applies it.
    await until('the gateway answering with TTL 45', 180_000, async () => (ttlOf() === 45 ? true : undefined));

    expect(await k.delete('v1', 'services', 'gateway-metrics', 'dns-gateway')).toBe(true);
    await until('gateway-metrics healed', 180_000, async () => ((await k.get('v1', 'services', 'gateway-metrics', 'dns-gateway')) ? true : undefined));
    await waitForApplications(k, { names: [app], timeoutMs: 120_000 });
  }, 10 * 60_000);
});
