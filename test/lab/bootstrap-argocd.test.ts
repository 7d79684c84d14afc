import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_HEALTH_KEY } from '../../bootstrap/application-health';
import { DEX_OBJECT_NAME, installObjects, type ImagePullPolicy } from '../../bootstrap/argocd-install';
import { argoCdInstallManifest } from '../../bootstrap/argocd-manifest';
import { runBootstrap, type BootstrapRun, type Operation } from '../../bootstrap/automation';
import { readClusterFolder } from '../../bootstrap/charts-out';
import { goModules } from '../../constructs/catalog';
import type { Fleet } from '../../fleet/fleet';
import { describeStates, LabKube, readKubeconfig, waitForApplications, applicationStates } from '../../lab/argocd';
import { labDown, labUp, type LabCluster } from '../../lab/lab';
import { podsNotReady, waitForPodsReady } from '../../lab/pods';
import { argoOrder, resourceKey } from '../bootstrap/argo-order';
import { installedPlugins, objectSteps, type Step } from '../bootstrap/engine-harness';
import { expectClusterDnsAnswersAPod, expectGatewayAnswersAService } from './dns-checks';
import { hostSnapshot, importLabFleet, until, waitForNoOtherLab } from './host';

/**
 * Mode `argocd` on a real node: the lab brings test-x's node up without its own Argo CD, the lab copy
 * in mode argocd, and its Git repository served to Pods by `git daemon` on the node (git://). The
 * bootstrap (inline Automation API entry, locally built CLI and provider) applies test-x's pod network
 * (the cni stack) and its cluster DNS (test-x's node has no DNS before: `beforeArgoCd: ['cluster-dns']`),
 * then Argo CD from install.yaml **as Pods** (the images built by tools/images, imported into the node's
 * containerd; `IfNotPresent`, Dex left out), then the AppProject and the root Application. Argo CD then
 * clones the lab's repository and syncs every stack: every Application Synced and Healthy, DNS answers,
 * a second preview has no change, destroy removes the root first and the network last without hanging.
 */

const CLUSTER = 'test-x';
const ZONE = 'test.platform.example';
const BEFORE_ARGOCD = ['cluster-dns'];
const PULL_POLICY: ImagePullPolicy = 'IfNotPresent';
const times: Record<string, number> = {};

describe('bootstrap mode argocd on the lab node of test-x: real engine, Argo CD as Pods syncing from Git', () => {
  let before: ReturnType<typeof hostSnapshot>;
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  const work = mkdtempSync(join(tmpdir(), 'fleetnet-lab-bootstrap-argocd-'));
  let lab: LabCluster;
  let fleet: Fleet;
  let kube: LabKube;
  let proxy: Server;
  let connections = 0;
  let proxyUrl = '';
  const manifest = argoCdInstallManifest();

  const run = (operation: Operation, context?: string, kubeconfig?: string): Promise<BootstrapRun> =>
    runBootstrap({
      operation,
      program: {
        fleet, stack: CLUSTER, chartsOut: lab.chartsOut, kubeconfigContext: context ?? lab.context, kubeconfig: kubeconfig ?? lab.kubeconfig,
        argocdDex: false, argocdImagePullPolicy: PULL_POLICY, beforeArgoCd: BEFORE_ARGOCD,
      },
      backendUrl: `file://${join(work, 'state')}`,
      passphrase: 'fleetnet-test-only',
      pulumiHome: join(work, 'pulumi-home'),
      workDir: join(work, 'workspace'),
      // Any download would connect to the counting port; the lab's API server (198.18/15) and the engine's gRPC are direct.
      env: { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, https_proxy: proxyUrl, http_proxy: proxyUrl, NO_PROXY: '127.0.0.1,localhost,198.18.0.0/15', no_proxy: '127.0.0.1,localhost,198.18.0.0/15', KUBECONFIG: lab.kubeconfig },
      timeoutMs: 12 * 60_000,
    });

  /** The three groups, in the order they must be applied. */
  const groups = () => {
    const network = argoOrder(lab.chartsOut, CLUSTER, new Set(['cni', ...BEFORE_ARGOCD])).objects.map((o) => o.key);
    const argocd = installObjects(manifest, 'argocd', { dex: false, imagePullPolicy: PULL_POLICY }).map(resourceKey);
    const app = readClusterFolder(lab.chartsOut, CLUSTER).get('argocd')!.filter((f) => f.object.kind === 'AppProject' || f.object.metadata.name === 'fleetnet-root').map((f) => resourceKey(f.object));
    return { network, argocd, app };
  };
  /** Every object of `first` done before any object of `then` starts. */
  const expectBefore = (steps: readonly Step[], op: string, first: readonly string[], then: readonly string[]) => {
    const done = steps.filter((s) => s.kind === 'done' && s.op === op && first.includes(s.key)).map((s) => s.sequence);
    const start = steps.filter((s) => s.kind === 'start' && s.op === op && then.includes(s.key)).map((s) => s.sequence);
    expect(done.length, `${op}: every object of the first group`).toBe(first.length);
    expect(start.length, `${op}: every object of the next group`).toBe(then.length);
    expect(Math.max(...done)).toBeLessThan(Math.min(...start));
  };
  /** What Argo CD and the cluster say, for a failure message. */
  const clusterState = async () => `${describeStates(await applicationStates(kube).catch(() => []))}\nPods not Ready: ${(await podsNotReady(kube)).notReady.join('; ')}`;

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
    const begin = Date.now();
    lab = await labUp({ cluster: CLUSTER, argocd: false, bootstrapMode: 'argocd', log });
    times.labUp = (Date.now() - begin) / 1000;
    fleet = await importLabFleet(lab.fleetModule, work);
    expect(fleet.cluster(CLUSTER).bootstrapMode).toBe('argocd');
    expect(fleet.git.repoURL).toBe(`git://${lab.slot.nodeIP}:9418/repo.git`);
    kube = new LabKube(readKubeconfig(lab.kubeconfig));
    expect((await kube.list('v1', 'pods')).length).toBe(0);
    expect(await kube.get('v1', 'namespaces', 'argocd')).toBeUndefined();
  }, 45 * 60_000);

  afterAll(async () => {
    kube?.close();
    const begin = Date.now();
    if (!before) return; // never started (another lab held the host)
    const problems = await labDown({ clusters: [CLUSTER], log });
    times.labDown = (Date.now() - begin) / 1000;
    await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
    rmSync(work, { recursive: true, force: true });
    console.log(`bootstrap argocd on the lab node of ${CLUSTER}, seconds: ${JSON.stringify(times)}`);
    expect(problems).toEqual([]);
    expect(hostSnapshot()).toEqual(before);
  }, 5 * 60_000);

  it('the wrong-context guard: a context whose server is another one stops preview before anything is touched', async () => {
    const config = parse(readFileSync(lab.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: { server: string } }[]; contexts: { name: string; context: { cluster: string } }[] };
    const mine = config.contexts.find((c) => c.name === lab.context)!;
    const cluster = config.clusters.find((c) => c.name === mine.context.cluster)!;
    const elsewhere = `https://198.18.${lab.slot.slot}.3:6443`;
    config.clusters.push({ name: 'elsewhere', cluster: { ...cluster.cluster, server: elsewhere } });
    config.contexts.push({ name: 'elsewhere', context: { ...mine.context, cluster: 'elsewhere' } });
    const file = join(work, 'kubeconfig-elsewhere');
    writeFileSync(file, stringify(config), { mode: 0o600 });
    const begin = Date.now();
    const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expect(run('preview', 'elsewhere', file)).rejects.toThrow(new RegExp(`kubeconfig context "elsewhere" \\(.*\\) points at ${esc(elsewhere)}, but cluster "${CLUSTER}" has apiServer ${esc(fleet.cluster(CLUSTER).apiServer)}`));
    times.guard = (Date.now() - begin) / 1000;
    expect(await kube.get('v1', 'namespaces', 'argocd')).toBeUndefined();
  }, 5 * 60_000);

  it('preview: the pod network and cluster DNS, then Argo CD (no Dex, IfNotPresent), then the AppProject and root Application; nothing else', async () => {
    const r = await run('preview');
    times.preview = r.durationMs / 1000;
    const steps = objectSteps(r.events);
    const { network, argocd, app } = groups();
    expect(argocd.some((k) => k.endsWith(`/${DEX_OBJECT_NAME}`))).toBe(false);
    expect(steps.filter((s) => s.kind === 'start').map((s) => s.key).sort()).toEqual([...network, ...argocd, ...app].sort());
    expectBefore(steps, 'create', network, argocd);
    expectBefore(steps, 'create', argocd, app);
  }, 10 * 60_000);

  it('up: in that order; when it returns, Argo CD\'s Pods are Ready; Argo CD clones the lab\'s Git and every Application becomes Synced and Healthy', async () => {
    const r = await run('up');
    times.up = r.durationMs / 1000;
    const steps = objectSteps(r.events);
    const { network, argocd, app } = groups();
    expectBefore(steps, 'create', network, argocd);
    expectBefore(steps, 'create', argocd, app);
    expect(r.outputs.rootApplication.value).toBe('argocd/fleetnet-root');
    const cm = await kube.get('v1', 'configmaps', 'argocd-cm', 'argocd');
    expect(cm.data[APPLICATION_HEALTH_KEY]).toContain('obj.status');

    const argoPods = await kube.list('v1', 'pods', 'argocd');
    const ready = (p: any) => (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
    expect(argoPods.map((p) => `${p.metadata.name} ${ready(p)}`).filter((l) => l.endsWith('false')), await clusterState()).toEqual([]);
    const components = new Set(argoPods.map((p) => p.metadata.labels['app.kubernetes.io/name']));
    expect([...components].sort()).toEqual(['argocd-application-controller', 'argocd-applicationset-controller', 'argocd-notifications-controller', 'argocd-redis', 'argocd-repo-server', 'argocd-server']);
    // Every container runs the image install.yaml names, from the node's containerd (nothing pulled).
    for (const p of argoPods) for (const c of [...(p.spec.initContainers ?? []), ...p.spec.containers]) expect(c.imagePullPolicy).toBe(PULL_POLICY);

    let begin = Date.now();
    let apps;
    try {
      apps = await waitForApplications(kube, { timeoutMs: 6 * 60_000 });
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${await clusterState()}`);
    }
    times.applicationsSyncedHealthy = (Date.now() - begin) / 1000;
    expect(apps.states.map((s) => s.name).sort()).toEqual(['fleetnet-cluster-dns', 'fleetnet-cluster-gateway', 'fleetnet-cni', 'fleetnet-metallb', 'fleetnet-root']);
    begin = Date.now();
    expect(await waitForPodsReady(kube, 3 * 60_000)).toBeGreaterThan(8);
    times.podsReady = (Date.now() - begin) / 1000;
  }, 25 * 60_000);

  it('DNS answers: cluster DNS to a Pod; the gateway (synced by Argo CD) a LoadBalancer Service\'s hostname', async () => {
    times.podDnsAnswered = await expectClusterDnsAnswersAPod(kube, fleet.cluster(CLUSTER).clusterDomain);
    times.gatewayAnswered = await expectGatewayAnswersAService(kube, { gateway: fleet.cluster(CLUSTER).dns.gatewayIP!, hostname: `argocd-web.${ZONE}`, zone: ZONE, pool: '198.18.5.64/27' });
  }, 6 * 60_000);

  it('a second preview shows no changes (Argo CD has taken over the network and DNS stacks meanwhile)', async () => {
    const r = await run('preview');
    times.previewAgain = r.durationMs / 1000;
    expect(Object.keys(r.changes).filter((op) => op !== 'same')).toEqual([]);
  }, 10 * 60_000);

  it('destroy: the root Application and AppProject first, then Argo CD, the network and DNS last, without hanging', async () => {
    const r = await run('destroy');
    times.destroy = r.durationMs / 1000;
    const steps = objectSteps(r.events);
    const { network, argocd, app } = groups();
    expectBefore(steps, 'delete', app, argocd);
    expectBefore(steps, 'delete', argocd, network);
    expect(await kube.get('v1', 'namespaces', 'argocd')).toBeUndefined();
    expect(await until('the Argo CD Pods gone', 60_000, async () => ((await kube.list('v1', 'pods', 'argocd')).length === 0 ? true : undefined))).toBe(true);
  }, 16 * 60_000);

  it('nothing was downloaded: no connection to the proxy, only the locally built provider in PULUMI_HOME', () => {
    expect(Object.keys(times)).toEqual(expect.arrayContaining(['preview', 'up', 'previewAgain', 'destroy']));
    expect(connections).toBe(0);
    expect(installedPlugins(join(work, 'pulumi-home'))).toEqual([`resource-kubernetes-v${goModules.pulumiKubernetesProvider.release}`]);
  });
});
