import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH_FORCE_ANNOTATION } from '../../bootstrap/kubernetes-object';
import { goModules } from '../../constructs/catalog';
import { argoOrder, resourceKey } from './argo-order';
import { installedPlugins, objectSteps, startEngineHarness, type EngineHarness, type Step } from '../../lab/pulumi/engine-harness';
import { realFleet } from './real-fleet';

/**
 * Mode `direct` through the real Pulumi engine: the CLI and the Kubernetes provider built by
 * tools/pulumi/build.sh, the inline Automation API entry (bootstrap/automation.ts), against a real
 * kube-apiserver with a real kube-controller-manager. preview → up → preview (no changes) → one
 * object changed in the fleet → preview and up show exactly that update → destroy, in the right order.
 * No node runs Pods, so workloads are applied without waiting for them to be ready (awaitWorkloads off);
 * everything else (CRDs established, Namespaces deleted) is awaited as on a cluster.
 */

const CLUSTER = 'bt-direct';
const times: Record<string, number> = {};

describe(`mode direct through the real engine (${CLUSTER})`, () => {
  let h: EngineHarness;
  let apiServer: string;
  const fleetOf = (cniChain?: ('portmap' | 'bandwidth')[]) => realFleet({ apiServer, underTest: CLUSTER, cniChain });

  beforeAll(async () => {
    h = await startEngineHarness('bootstrap-direct', CLUSTER, '198.19.0.0/21');
    apiServer = h.cp.url;
    h.synth(fleetOf());
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
    console.log(`bootstrap ${CLUSTER} through the real engine, seconds: ${JSON.stringify(times)}`);
  }, 60_000);

  const order = () => argoOrder(h.chartsOut, CLUSTER);
  /** For each pair Argo CD orders, the engine finished the first before it started the second. */
  const expectOrdered = (steps: readonly Step[], op: string, reverse = false) => {
    const { objects, before } = order();
    const start = new Map(steps.filter((s) => s.kind === 'start' && s.op === op).map((s) => [s.key, s.sequence]));
    const done = new Map(steps.filter((s) => s.kind === 'done' && s.op === op).map((s) => [s.key, s.sequence]));
    let pairs = 0;
    for (const a of objects) {
      for (const b of objects) {
        if (a === b || !before(a, b)) continue;
        pairs++;
        const [first, second] = reverse ? [b, a] : [a, b];
        expect(done.get(first.key), `${op} of ${first.key} done`).toBeDefined();
        expect(done.get(first.key)!, `${op}: ${first.key} done before ${second.key} starts`).toBeLessThan(start.get(second.key)!);
      }
    }
    expect(pairs).toBeGreaterThan(20);
  };

  it('preview: every object of charts-out/<cluster>/ is a create, in sync-wave order', async () => {
    const run = await h.run('preview', fleetOf(), CLUSTER);
    times.preview = run.durationMs / 1000;
    const steps = objectSteps(run.events);
    const creates = steps.filter((s) => s.kind === 'start' && s.op === 'create').map((s) => s.key);
    expect(creates.sort()).toEqual(order().objects.map((o) => o.key).sort());
    expectOrdered(steps, 'create');
  }, 600_000);

  it('up: creates them in that order; the API server has each one, as written', async () => {
    const run = await h.run('up', fleetOf(), CLUSTER);
    times.up = run.durationMs / 1000;
    const steps = objectSteps(run.events);
    expect(steps.filter((s) => s.kind === 'done' && s.op === 'create').map((s) => s.key).sort()).toEqual(order().objects.map((o) => o.key).sort());
    expectOrdered(steps, 'create');
    for (const { object } of order().objects) {
      const live = await h.admin.get(object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace);
      expect(live, resourceKey(object)).toBeDefined();
      expect(live!.metadata.annotations?.[PATCH_FORCE_ANNOTATION]).toBe('true');
      expect(live!.metadata.labels ?? {}).toMatchObject((object.metadata as { labels?: Record<string, string> }).labels ?? {});
    }
    expect(run.outputs.steps.value.length).toBeGreaterThan(3);
  }, 900_000);

  it('preview again: no changes', async () => {
    const run = await h.run('preview', fleetOf(), CLUSTER);
    times.previewAgain = run.durationMs / 1000;
    expect(Object.keys(run.changes).filter((op) => op !== 'same')).toEqual([]);
    expect(run.changes.same).toBeGreaterThan(order().objects.length);
  }, 600_000);

  it('one object changed in the fleet: exactly one update, and up applies it', async () => {
    const changed = fleetOf(['portmap']);
    h.synth(changed);
    const preview = await h.run('preview', changed, CLUSTER);
    times.previewChanged = preview.durationMs / 1000;
    const updates = objectSteps(preview.events).filter((s) => s.kind === 'start' && s.op !== 'same');
    expect(updates.map((s) => `${s.op} ${s.key}`)).toEqual(['update kubernetes:core/v1:ConfigMap::cni-system/cni-install']);
    expect(Object.keys(preview.changes).sort()).toEqual(['same', 'update']);
    expect(preview.changes.update).toBe(1);
    const up = await h.run('up', changed, CLUSTER);
    times.upChanged = up.durationMs / 1000;
    expect(up.changes.update).toBe(1);
    const live = await h.admin.get<{ data: Record<string, string> } & { metadata: { name: string } } & { apiVersion: string; kind: string }>('v1', 'ConfigMap', 'cni-install', 'cni-system');
    expect(JSON.stringify(live!.data)).not.toContain('bandwidth');
  }, 900_000);

  it('the wrong-context guard stops preview with a clear message, before anything is touched', async () => {
    const before = await h.admin.list('v1', 'Namespace');
    await expect(h.run('preview', fleetOf(['portmap']), CLUSTER, 'elsewhere')).rejects.toThrow(
      new RegExp(`kubeconfig context "elsewhere" \\(.*\\) points at https://127\\.0\\.0\\.1:1, but cluster "${CLUSTER}" has apiServer ${apiServer.replace(/\./g, '\\.')}`),
    );
    expect((await h.admin.list('v1', 'Namespace')).length).toBe(before.length);
  }, 600_000);

  it('destroy: removes everything, dependents before what they depend on, without hanging', async () => {
    const run = await h.run('destroy', fleetOf(['portmap']), CLUSTER);
    times.destroy = run.durationMs / 1000;
    const steps = objectSteps(run.events);
    expect(steps.filter((s) => s.kind === 'done' && s.op === 'delete').map((s) => s.key).sort()).toEqual(order().objects.map((o) => o.key).sort());
    expectOrdered(steps, 'delete', true);
    for (const { object } of order().objects) {
      if (object.kind === 'Namespace') expect(await h.admin.get('v1', 'Namespace', object.metadata.name), object.metadata.name).toBeUndefined();
    }
  }, 900_000);

  it('nothing was downloaded: no connection to the proxy, only the locally built provider in PULUMI_HOME', () => {
    expect(Object.keys(times)).toEqual(['preview', 'up', 'previewAgain', 'previewChanged', 'upChanged', 'destroy']);
    expect(h.proxyConnections()).toBe(0);
    expect(installedPlugins(h.pulumiHome)).toEqual([`resource-kubernetes-v${goModules.pulumiKubernetesProvider.release}`]);
  });
});
