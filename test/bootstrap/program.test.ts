import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleet } from '../../clusters/index';
import { argoOrder } from './argo-order';
import type { Registration } from './fake-engine';
import { writeKubeconfigFile } from './kubeconfig-file';
import { BOOTSTRAP_DIR, runBootstrapProgram, type ProgramRun } from './run-program';

/**
 * `pulumi preview` / `pulumi up` from bootstrap/ start the program through the Node.js language host,
 * which cannot be built here (the module proxy refuses pulumi-language-nodejs), so the real-engine
 * tests (engine-*.test.ts) run the same program through the Automation API instead. What only this
 * shows: bootstrap/Pulumi.yaml + index.ts run as the language host starts them, for every cluster of
 * the example fleet with its own Pulumi.<cluster>.yaml, and mode direct's dependency graph (including
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

// Mode argocd's order (the pod network, then Argo CD, then the root Application) is shown by the real
// engine: test/bootstrap/engine-argocd.test.ts and, with Argo CD running as Pods, test/lab/bootstrap-argocd.test.ts.
const directClusters = fleet.clusters.filter((c) => c.bootstrapMode === 'direct').map((c) => [c.name]);

describe("mode 'direct': charts-out/<cluster>/ applied in Argo CD's order", () => {
  it('the example fleet has clusters in both modes', () => {
    expect(directClusters.length).toBeGreaterThan(0);
    expect(fleet.clusters.some((c) => c.bootstrapMode === 'argocd')).toBe(true);
  });

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
