import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoCdInstallManifest } from '../../bootstrap/argocd-manifest';
import { installObjects } from '../../bootstrap/argocd-install';
import { APPLICATION_HEALTH_KEY } from '../../bootstrap/application-health';
import { readClusterFolder } from '../../bootstrap/charts-out';
import { argoOrder, resourceKey } from './argo-order';
import { objectSteps, startEngineHarness, type EngineHarness, type Step } from '../../lab/pulumi/engine-harness';
import { realFleet } from './real-fleet';

/**
 * Mode `argocd` through the real Pulumi engine, against a real kube-apiserver and kube-controller-manager:
 * the cluster's pod network (here the CNI install, one of our stacks) is applied first, then Argo CD
 * from the install manifest of the argo-cd/v3 module, then the AppProject and the root Application.
 * Argo CD's pods would need that network, so the other order is a deadlock on a real node.
 * Not shown here (no node runs Pods): Argo CD running and syncing the root Application.
 */

const CLUSTER = 'bt-argocd';
const times: Record<string, number> = {};

describe(`mode argocd through the real engine (${CLUSTER})`, () => {
  let h: EngineHarness;
  let manifest: string;
  const fleetOf = () => realFleet({ apiServer: h.cp.url, underTest: CLUSTER });

  beforeAll(async () => {
    h = await startEngineHarness('bootstrap-argocd', CLUSTER, '198.19.0.0/21');
    h.synth(fleetOf());
    manifest = argoCdInstallManifest();
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
    console.log(`bootstrap ${CLUSTER} through the real engine, seconds: ${JSON.stringify(times)}`);
  }, 60_000);

  /** The three groups, in the order they must be applied. */
  const groups = () => {
    const network = argoOrder(h.chartsOut, CLUSTER, new Set(['cni'])).objects.map((o) => o.key);
    const argocd = installObjects(manifest, 'argocd').map(resourceKey);
    const app = readClusterFolder(h.chartsOut, CLUSTER).get('argocd')!.filter((f) => f.object.kind === 'AppProject' || f.object.metadata.name === 'fleetnet-root').map((f) => resourceKey(f.object));
    return { network, argocd, app };
  };
  /** Every object of `first` done before any object of `then` starts. */
  const expectBefore = (steps: readonly Step[], op: string, first: readonly string[], then: readonly string[]) => {
    const done = steps.filter((s) => s.kind === 'done' && s.op === op && first.includes(s.key)).map((s) => s.sequence);
    const start = steps.filter((s) => s.kind === 'start' && s.op === op && then.includes(s.key)).map((s) => s.sequence);
    expect(done.length).toBe(first.length);
    expect(start.length).toBe(then.length);
    expect(Math.max(...done)).toBeLessThan(Math.min(...start));
  };

  it('preview: the pod network, then Argo CD, then the AppProject and root Application; nothing else', async () => {
    const run = await h.run('preview', fleetOf(), CLUSTER);
    times.preview = run.durationMs / 1000;
    const steps = objectSteps(run.events);
    const { network, argocd, app } = groups();
    expect(network.length).toBeGreaterThan(2);
    expect(steps.filter((s) => s.kind === 'start').map((s) => s.key).sort()).toEqual([...network, ...argocd, ...app].sort());
    expectBefore(steps, 'create', network, argocd);
    expectBefore(steps, 'create', argocd, app);
  }, 600_000);

  it('up: applies them in that order; Argo CD has the Application health check and the root Application exists', async () => {
    const run = await h.run('up', fleetOf(), CLUSTER);
    times.up = run.durationMs / 1000;
    const steps = objectSteps(run.events);
    const { network, argocd, app } = groups();
    expectBefore(steps, 'create', network, argocd);
    expectBefore(steps, 'create', argocd, app);
    const cm = await h.admin.get<{ apiVersion: string; kind: string; metadata: { name: string }; data?: Record<string, string> }>('v1', 'ConfigMap', 'argocd-cm', 'argocd');
    expect(cm?.data?.[APPLICATION_HEALTH_KEY]).toContain('obj.status');
    expect(await h.admin.get('argoproj.io/v1alpha1', 'Application', 'fleetnet-root', 'argocd')).toBeDefined();
    expect(run.outputs.rootApplication.value).toBe('argocd/fleetnet-root');
  }, 900_000);

  it('preview again: no changes', async () => {
    const run = await h.run('preview', fleetOf(), CLUSTER);
    times.previewAgain = run.durationMs / 1000;
    expect(Object.keys(run.changes).filter((op) => op !== 'same')).toEqual([]);
  }, 600_000);

  it('destroy: the root Application first, the pod network last, without hanging', async () => {
    const run = await h.run('destroy', fleetOf(), CLUSTER);
    times.destroy = run.durationMs / 1000;
    const steps = objectSteps(run.events);
    const { network, argocd, app } = groups();
    expectBefore(steps, 'delete', app, argocd);
    expectBefore(steps, 'delete', argocd, network);
    expect(await h.admin.get('v1', 'Namespace', 'argocd')).toBeUndefined();
    expect(h.proxyConnections()).toBe(0);
  }, 900_000);
});
