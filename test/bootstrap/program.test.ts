import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoCdInstallManifest } from '../../bootstrap/argocd-manifest';
import { installObjects } from '../../bootstrap/argocd-install';
import { POD_NETWORK_STACKS } from '../../bootstrap/program';
import { fleet } from '../../clusters/index';
import { argoOrder, resourceKey } from './argo-order';
import type { Registration } from './fake-engine';
import { writeKubeconfigFile } from './kubeconfig-file';
import { BOOTSTRAP_DIR, runBootstrapProgram, type ProgramRun } from './run-program';

/**
 * `pulumi preview` / `pulumi up` from bootstrap/ start the program through the Node.js language host,
 * which cannot be built here (the module proxy refuses pulumi-language-nodejs), so the real-engine
 * tests (engine-*.test.ts) run the same program through the Automation API instead. What only this
 * shows: bootstrap/Pulumi.yaml + index.ts run as the language host starts them, for every cluster of
 * the example fleet with its own Pulumi.<cluster>.yaml, and each object's dependency graph (including
 * "waits for nothing more than Argo CD would", which no single real run can show). The recording
 * engine is fake-engine.ts.
 */

const chartsOut = resolve(__dirname, '../../charts-out');
const scratch = mkdtempSync(join(tmpdir(), 'fleetnet-bootstrap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The context each stack file names, pointing at its cluster's apiServer (data only: nothing connects under the fake engine). */
const contextOf = (cluster: string) => (parse(readFileSync(join(BOOTSTRAP_DIR, `Pulumi.${cluster}.yaml`), 'utf8')) as { config: Record<string, string> }).config['fleetnet-bootstrap:kubeconfigContext'];
const kubeconfig = writeKubeconfigFile(join(scratch, 'kubeconfig'), Object.fromEntries(fleet.clusters.map((c) => [contextOf(c.name), c.apiServer])));

const runs = new Map<string, ProgramRun>();
const runOf = (stack: string) => runs.get(stack)!;
beforeAll(async () => {
  const stacks = fleet.clusters.map((c) => c.name);
  for (let i = 0; i < stacks.length; i += 2) {
    const batch = stacks.slice(i, i + 2);
    const done = await Promise.all(batch.map((stack) => runBootstrapProgram({ stack, dryRun: false, kubeconfig })));
    batch.forEach((stack, j) => runs.set(stack, done[j]));
  }
}, 600_000);

const errorsOf = (run: ProgramRun) => run.logs.filter((l) => l.severity === 'error').map((l) => l.message).join('\n');
const kubernetesObjects = (run: ProgramRun) => run.registrations.filter((r) => r.custom && r.type.startsWith('kubernetes:'));
const keyOf = (r: Registration) => `${r.type}::${r.name}`;

/** Everything a registration waits for, directly or through others. */
function closureOf(run: ProgramRun) {
  const byUrn = new Map(run.registrations.map((r) => [r.urn, r]));
  return (r: Registration, seen = new Set<string>()): Set<string> => {
    for (const urn of r.dependencies) {
      if (seen.has(urn)) continue;
      seen.add(urn);
      closureOf(run)(byUrn.get(urn)!, seen);
    }
    return seen;
  };
}

describe('every stack runs in the Pulumi Node.js runtime as the language host starts it', () => {
  it.each(fleet.clusters.map((c) => [c.name]))('%s: exits 0 with no error, through its own kubeconfig context', (stack) => {
    const run = runOf(stack);
    expect(errorsOf(run)).toBe('');
    expect(run.exitCode).toBe(0);
    const providers = run.registrations.filter((r) => r.type === 'pulumi:providers:kubernetes');
    expect(providers.map((p) => p.name)).toEqual([stack]);
    expect(providers[0].inputs).toEqual({ context: contextOf(stack), kubeconfig, enableConfigMapMutable: 'true' });
    for (const r of kubernetesObjects(run)) expect(r.provider.startsWith(`${providers[0].urn}::`), `${r.type} ${r.name}`).toBe(true);
    expect(run.outputs).toMatchObject({ cluster: stack, mode: fleet.cluster(stack).bootstrapMode });
  });
});

const argocdClusters = fleet.clusters.filter((c) => c.bootstrapMode === 'argocd').map((c) => [c.name]);
const directClusters = fleet.clusters.filter((c) => c.bootstrapMode === 'direct').map((c) => [c.name]);

describe("mode 'argocd': the pod network of our stacks, then Argo CD, then the root Application", () => {
  it('the example fleet has clusters in both modes, and an argocd cluster whose pod network is ours', () => {
    expect(argocdClusters.length).toBeGreaterThan(0);
    expect(directClusters.length).toBeGreaterThan(0);
    expect(fleet.clusters.some((c) => c.bootstrapMode === 'argocd' && (c.podNetwork.mizar || c.podNetwork.cni))).toBe(true);
  });

  it.each(argocdClusters)('%s: network objects, the install manifest, AppProject and root Application, each group after the one before', (stack) => {
    const run = runOf(stack);
    const network = argoOrder(chartsOut, stack, POD_NETWORK_STACKS).objects.map((o) => o.key);
    const argocd = installObjects(argoCdInstallManifest(), 'argocd').map(resourceKey);
    const app = ['kubernetes:argoproj.io/v1alpha1:AppProject::argocd/fleetnet-' + stack, 'kubernetes:argoproj.io/v1alpha1:Application::argocd/fleetnet-root'];
    const registered = kubernetesObjects(run);
    expect(registered.map(keyOf).sort()).toEqual([...network, ...argocd, ...app].sort());
    const closure = closureOf(run);
    const urnOf = new Map(registered.map((r) => [keyOf(r), r.urn]));
    for (const r of registered) {
      const waits = closure(r);
      const group = network.includes(keyOf(r)) ? 0 : argocd.includes(keyOf(r)) ? 1 : 2;
      if (group >= 1) for (const n of network) expect(waits.has(urnOf.get(n)!), `${keyOf(r)} waits for ${n}`).toBe(true);
      if (group === 2 && keyOf(r).endsWith(':Application::argocd/fleetnet-root')) for (const a of [...argocd, app[0]]) expect(waits.has(urnOf.get(a)!), `root waits for ${a}`).toBe(true);
      if (group === 0) for (const a of [...argocd, ...app]) expect(waits.has(urnOf.get(a)!), `${keyOf(r)} does not wait for ${a}`).toBe(false);
    }
  });
});

describe("mode 'direct': charts-out/<cluster>/ applied in Argo CD's order", () => {
  it.each(directClusters)('%s: every object once, as written plus pulumi.com/patchForce, waiting for exactly what Argo CD would finish first', (stack) => {
    const run = runOf(stack);
    const { objects, before } = argoOrder(chartsOut, stack);
    const registered = kubernetesObjects(run);
    expect(registered.map(keyOf).sort()).toEqual(objects.map((o) => o.key).sort());
    const byKey = new Map(registered.map((r) => [keyOf(r), r]));
    for (const o of objects) {
      const inputs = byKey.get(o.key)!.inputs as { metadata: { annotations: Record<string, string> } };
      const { ['pulumi.com/patchForce']: force, ...annotations } = inputs.metadata.annotations;
      expect(force).toBe('true');
      expect({ ...inputs, metadata: { ...inputs.metadata, annotations } }).toEqual({ ...o.object, metadata: { ...o.object.metadata, annotations: o.object.metadata.annotations ?? {} } });
    }
    const closure = closureOf(run);
    let ordered = 0;
    for (const b of objects) {
      const waits = closure(byKey.get(b.key)!);
      for (const a of objects) {
        if (a === b) continue;
        if (before(a, b)) ordered++;
        expect(waits.has(byKey.get(a.key)!.urn), `${b.key} waits for ${a.key}`).toBe(before(a, b));
      }
    }
    expect(ordered).toBeGreaterThan(0);
  });
});
