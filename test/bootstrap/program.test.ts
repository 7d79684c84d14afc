import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from '../../bootstrap/application-health';
import { readClusterFolder, type Manifest } from '../../bootstrap/charts-out';
import { fleet } from '../../clusters/index';
import { charts } from '../../constructs/catalog';
import type { Registration } from './fake-engine';
import { writeKubeconfigFile } from './kubeconfig-file';
import { BOOTSTRAP_DIR, runBootstrapProgram, type ProgramRun } from './run-program';

const chartsOut = resolve(__dirname, '../../charts-out');
const scratch = mkdtempSync(join(tmpdir(), 'fleetnet-bootstrap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The context each stack file names, pointing at its cluster's apiServer (data only: nothing connects under the fake engine). */
const contextOf = (cluster: string) => (parse(readFileSync(join(BOOTSTRAP_DIR, `Pulumi.${cluster}.yaml`), 'utf8')) as { config: Record<string, string> }).config['fleetnet-bootstrap:kubeconfigContext'];
const kubeconfig = writeKubeconfigFile(join(scratch, 'kubeconfig'), Object.fromEntries(fleet.clusters.map((c) => [contextOf(c.name), c.apiServer])));

const runs = new Map<string, ProgramRun>();
const runOf = (stack: string) => runs.get(stack)!;
beforeAll(async () => {
  // As `pulumi up` runs the program, one stack per cluster; two at a time (2 cores).
  const stacks = fleet.clusters.map((c) => c.name);
  for (let i = 0; i < stacks.length; i += 2) {
    const batch = stacks.slice(i, i + 2);
    const done = await Promise.all(batch.map((stack) => runBootstrapProgram({ stack, dryRun: false, kubeconfig })));
    batch.forEach((stack, j) => runs.set(stack, done[j]));
  }
}, 300_000);

const errorsOf = (run: ProgramRun) => run.logs.filter((l) => l.severity === 'error').map((l) => l.message).join('\n');
const tokenOf = (o: Manifest) => `kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`;
const nameOf = (o: Manifest) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
const kubernetesObjects = (run: ProgramRun) => run.registrations.filter((r) => r.custom && r.type.startsWith('kubernetes:'));

describe('every stack runs in the Pulumi Node.js runtime as the language host starts it', () => {
  it.each(fleet.clusters.map((c) => [c.name]))('%s: exits 0 with no error, through its own kubeconfig context', (stack) => {
    const run = runOf(stack);
    expect(errorsOf(run)).toBe('');
    expect(run.exitCode).toBe(0);
    const providers = run.registrations.filter((r) => r.type === 'pulumi:providers:kubernetes');
    // The SDK fills kubeconfig from $KUBECONFIG; objects are adopted and applied with force, as Argo CD applies them.
    expect(providers.map((p) => p.name)).toEqual([stack]);
    expect(providers[0].inputs).toEqual({ context: contextOf(stack), kubeconfig, upsertExistingObjects: 'true', enablePatchForce: 'true' });
    // Every object goes through that provider, never the ambient default one.
    for (const r of kubernetesObjects(run)) expect(r.provider.startsWith(`${providers[0].urn}::`), `${r.type} ${r.name}`).toBe(true);
    expect(run.outputs).toMatchObject({ cluster: stack, mode: fleet.cluster(stack).bootstrapMode });
  });
});

const argocdClusters = fleet.clusters.filter((c) => c.bootstrapMode === 'argocd').map((c) => [c.name]);
const directClusters = fleet.clusters.filter((c) => c.bootstrapMode === 'direct').map((c) => [c.name]);

describe("mode 'argocd': Argo CD from the catalog's chart, then the root Application", () => {
  it('the example fleet has clusters in both modes', () => {
    expect(argocdClusters.length).toBeGreaterThan(0);
    expect(directClusters.length).toBeGreaterThan(0);
  });

  it.each(argocdClusters)('%s: a Helm release of argo-cd at the catalog version with the Application health check', (stack) => {
    const run = runOf(stack);
    expect(kubernetesObjects(run).map((r) => r.type).sort()).toEqual(['kubernetes:argoproj.io/v1alpha1:Application', 'kubernetes:helm.sh/v3:Release']);
    const release = run.registrations.find((r) => r.type === 'kubernetes:helm.sh/v3:Release')!;
    expect(release.inputs).toMatchObject({
      name: 'argocd',
      namespace: 'argocd',
      createNamespace: true,
      chart: charts.argocd.chart,
      version: charts.argocd.version,
      repositoryOpts: { repo: charts.argocd.repository },
    });
    expect((release.inputs.values as { configs: { cm: Record<string, string> } }).configs.cm[APPLICATION_HEALTH_KEY]).toBe(APPLICATION_HEALTH_LUA);
  });

  it.each(argocdClusters)('%s: the root Application is the committed file, created after the release', (stack) => {
    const run = runOf(stack);
    const committed = readClusterFolder(chartsOut, stack).get('argocd')!.find((f) => f.path === 'argocd/application.fleetnet-root.yaml')!.object;
    const app = run.registrations.find((r) => r.type === 'kubernetes:argoproj.io/v1alpha1:Application')!;
    expect(app.name).toBe('fleetnet-root');
    expect(app.inputs).toEqual(committed);
    const release = run.registrations.find((r) => r.type === 'kubernetes:helm.sh/v3:Release')!;
    expect(app.dependencies).toEqual([release.urn]);
    expect(release.dependencies).toEqual([]);
    expect(run.outputs.rootApplication).toBe('argocd/fleetnet-root');
  });
});

/** Sync-wave facts read straight from the files, the way Argo CD reads them (independent of bootstrap/sync-plan.ts). */
function argoOrder(stack: string) {
  const folders = readClusterFolder(chartsOut, stack);
  const wave = (o: Manifest) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
  const stackWave = new Map<string, number>();
  for (const f of folders.get('argocd')!) {
    const folder = String((f.object.spec as { source: { path: string } }).source.path).split('/').pop()!;
    if (folder !== 'argocd') stackWave.set(folder, wave(f.object));
  }
  const objects = [...folders].filter(([folder]) => folder !== 'argocd').flatMap(([folder, files]) => files.map((f) => ({ folder, object: f.object, key: `${tokenOf(f.object)}::${nameOf(f.object)}` })));
  const isDefinition = (o: Manifest) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition';
  /** Argo CD finishes `a` before it applies `b`. */
  const before = (a: (typeof objects)[number], b: (typeof objects)[number]) => {
    const [sa, sb] = [stackWave.get(a.folder)!, stackWave.get(b.folder)!];
    if (sa !== sb) return sa < sb;
    if (a.folder !== b.folder) return false; // two Applications of one wave sync side by side
    if (wave(a.object) !== wave(b.object)) return wave(a.object) < wave(b.object);
    return isDefinition(a.object) && !isDefinition(b.object);
  };
  return { objects, before };
}

describe("mode 'direct': charts-out/<cluster>/ applied in Argo CD's order", () => {
  it.each(directClusters)('%s: every synthesized object once, as written, with its own kind; no Application', (stack) => {
    const run = runOf(stack);
    const { objects } = argoOrder(stack);
    const registered = kubernetesObjects(run);
    expect(registered.map((r) => `${r.type}::${r.name}`).sort()).toEqual(objects.map((o) => o.key).sort());
    for (const o of objects) expect(registered.find((r) => `${r.type}::${r.name}` === o.key)!.inputs).toEqual(o.object);
    expect(registered.some((r) => r.type.endsWith(':Application'))).toBe(false);
  });

  it.each(directClusters)('%s: each object waits for everything Argo CD would finish first, and for nothing else', (stack) => {
    const run = runOf(stack);
    const { objects, before } = argoOrder(stack);
    const byKey = new Map(kubernetesObjects(run).map((r) => [`${r.type}::${r.name}`, r]));
    const byUrn = new Map(run.registrations.map((r) => [r.urn, r]));
    const waitsFor = (r: Registration, seen = new Set<string>()): Set<string> => {
      for (const urn of r.dependencies) {
        if (seen.has(urn)) continue;
        seen.add(urn);
        waitsFor(byUrn.get(urn)!, seen);
      }
      return seen;
    };
    let ordered = 0;
    for (const b of objects) {
      const closure = waitsFor(byKey.get(b.key)!);
      for (const a of objects) {
        if (a === b) continue;
        const expected = before(a, b);
        if (expected) ordered++;
        expect(closure.has(byKey.get(a.key)!.urn), `${b.key} waits for ${a.key}`).toBe(expected);
      }
    }
    expect(ordered).toBeGreaterThan(0);
  });

  it.each(directClusters)('%s: the steps, as `pulumi stack output steps` shows them', (stack) => {
    const steps = runOf(stack).outputs.steps as string[];
    expect(steps.length).toBeGreaterThan(1);
    const waves = steps.map((s) => Number(s.split(':')[0]));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
  });

  it.each(directClusters)('%s: a preview (--dry-run) registers the same resources in the same order', async (stack) => {
    const preview = await runBootstrapProgram({ stack, dryRun: true, kubeconfig });
    const shape = (run: ProgramRun) => run.registrations.map((r) => [r.type, r.name, [...r.dependencies].sort()]);
    expect(preview.exitCode).toBe(0);
    expect(shape(preview)).toEqual(shape(runOf(stack)));
  }, 120_000);
});

describe('refusals, before anything is registered', () => {
  const noKubernetes = (run: ProgramRun) => expect(run.registrations.filter((r) => r.type.startsWith('kubernetes:') || r.type.startsWith('pulumi:providers:'))).toEqual([]);

  it('a stack that names no cluster lists the clusters', async () => {
    const run = await runBootstrapProgram({ stack: 'staging-z', dryRun: true, kubeconfig, config: { 'fleetnet-bootstrap:kubeconfigContext': 'staging-z' } });
    expect(run.exitCode).not.toBe(0);
    expect(errorsOf(run)).toContain('Pulumi stack "staging-z" is not a cluster of the fleet');
    for (const c of fleet.clusters) expect(errorsOf(run)).toContain(c.name);
    noKubernetes(run);
  }, 120_000);

  it("a context that reaches another cluster's API server", async () => {
    const [first, second] = fleet.clusters;
    const run = await runBootstrapProgram({ stack: first.name, dryRun: true, kubeconfig, config: { 'fleetnet-bootstrap:kubeconfigContext': contextOf(second.name) } });
    expect(run.exitCode).not.toBe(0);
    expect(errorsOf(run)).toContain(`points at ${second.apiServer}, but cluster "${first.name}" has apiServer ${first.apiServer}`);
    noKubernetes(run);
  }, 120_000);

  it('a stack without a kubeconfig context (never the ambient current context)', async () => {
    const run = await runBootstrapProgram({ stack: 'test-x', dryRun: true, kubeconfig, config: { 'fleetnet-bootstrap:kubeconfigContext': null } });
    expect(run.exitCode).not.toBe(0);
    expect(errorsOf(run)).toContain('fleetnet-bootstrap:kubeconfigContext is not set for stack "test-x"');
    noKubernetes(run);
  }, 120_000);

  it('a context the kubeconfig does not have', async () => {
    const run = await runBootstrapProgram({ stack: 'test-x', dryRun: true, kubeconfig, config: { 'fleetnet-bootstrap:kubeconfigContext': 'test-x-typo' } });
    expect(run.exitCode).not.toBe(0);
    expect(errorsOf(run)).toContain(`kubeconfig context "test-x-typo" is in none of ${kubeconfig}`);
    noKubernetes(run);
  }, 120_000);
});
