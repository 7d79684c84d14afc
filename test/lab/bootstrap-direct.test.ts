import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBootstrap, type BootstrapRun, type Operation } from '../../bootstrap/automation';
import { goModules } from '../../constructs/catalog';
import { cluster, type CniChainedPluginType } from '../../fleet/cluster';
import { fleet as makeFleet, type Fleet } from '../../fleet/fleet';
import { synthesizeFleet } from '../../synth/synthesize';
import { LabKube, readKubeconfig } from '../../lab/argocd';
import { labDown, labUp, type LabCluster } from '../../lab/lab';
import { podsNotReady, waitForPodsReady } from '../../lab/pods';
import { argoOrder } from '../bootstrap/argo-order';
import { installedPlugins, objectSteps, type Step } from '../bootstrap/engine-harness';
import { expectClusterDnsAnswersAPod, expectGatewayAnswersAService } from './dns-checks';
import { hostSnapshot, importLabFleet, waitForNoOtherLab } from './host';

/**
 * Mode `direct` on a real node: the lab brings test-x's node up WITHOUT its Argo CD (NotReady: no pod
 * network yet), and the bootstrap's inline Automation API entry, with the locally built CLI and
 * provider, applies the lab copy of charts-out/test-x/ (the lab's fleet module and charts-out, so the
 * freshness check and the context guard hold against the mapped apiServer). Workloads are awaited as
 * on any cluster: the cni stack's DaemonSet writes the node's conflist, the node turns Ready, then
 * MetalLB, cluster DNS and the gateway. Then: every Pod Ready, cluster DNS answers a Pod, the gateway
 * answers a LoadBalancer Service's name on the lab bridge, a second preview has no change, one
 * object changed in the fleet is exactly one update in preview, destroy
 * removes everything dependents first within a bound, and the host is as before.
 */

const CLUSTER = 'test-x';
const ZONE = 'test.platform.example';
const times: Record<string, number> = {};

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

  const run = (operation: Operation, copy?: { fleet: Fleet; chartsOut: string }): Promise<BootstrapRun> =>
    runBootstrap({
      operation,
      program: { fleet: copy?.fleet ?? fleet, stack: CLUSTER, chartsOut: copy?.chartsOut ?? lab.chartsOut, kubeconfigContext: lab.context, kubeconfig: lab.kubeconfig },
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
    fleet = await importLabFleet(lab.fleetModule, work);
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
    times.podDnsAnswered = await expectClusterDnsAnswersAPod(kube, fleet.cluster(CLUSTER).clusterDomain);
    // The Service is not the bootstrap's: the helper deletes it before destroy (MetalLB is among what destroy removes).
    times.gatewayAnswered = await expectGatewayAnswersAService(kube, { gateway: fleet.cluster(CLUSTER).dns.gatewayIP!, hostname: `direct-web.${ZONE}`, zone: ZONE, pool: '198.18.5.64/27' });
  }, 6 * 60_000);

  it('a second preview shows no changes', async () => {
    const r = await run('preview');
    times.previewAgain = r.durationMs / 1000;
    expect(Object.keys(r.changes).filter((op) => op !== 'same')).toEqual([]);
    expect(r.changes.same).toBeGreaterThanOrEqual(order().objects.length);
  }, 10 * 60_000);

  it('one object changed in the fleet (test-x\'s CNI chain): preview shows exactly one update, of that object', async () => {
    const c = fleet.cluster(CLUSTER);
    const cni = c.props.podNetwork.cni!;
    const chain: CniChainedPluginType[] = (cni.chain ?? []).includes('bandwidth') ? (cni.chain ?? []).filter((p) => p !== 'bandwidth') : [...(cni.chain ?? []), 'bandwidth'];
    const changed = makeFleet({ ...fleet.props, clusters: fleet.clusters.map((x) => (x.name !== CLUSTER ? x : cluster({ ...x.props, podNetwork: { ...x.props.podNetwork, cni: { ...cni, chain } } }))) });
    const chartsOut = join(work, 'changed-charts-out');
    synthesizeFleet(changed, { outdir: chartsOut });
    const r = await run('preview', { fleet: changed, chartsOut });
    times.previewOneChange = r.durationMs / 1000;
    const updates = objectSteps(r.events).filter((s) => s.kind === 'start' && s.op !== 'same');
    expect(updates.map((s) => `${s.op} ${s.key}`)).toEqual(['update kubernetes:core/v1:ConfigMap::cni-system/cni-install']);
    expect(r.changes.update).toBe(1);
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
