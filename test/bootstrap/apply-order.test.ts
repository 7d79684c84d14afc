import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleet } from '../../clusters/index';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, KubeObject } from '../../lab/controlplane/kube-client';
import type { Registration } from './fake-engine';
import { writeKubeconfigFile } from './kubeconfig-file';
import { runBootstrapProgram } from './run-program';

/**
 * The dependency graph the bootstrap gives the Pulumi engine, played against a real kube-apiserver
 * (lab/controlplane): the engine may run any resource whose dependencies are done, in any order and in
 * parallel, so this applies them in the worst order the graph allows (among the ready ones, custom
 * resources before built-in kinds, CRDs and Namespaces last). A missing edge (a custom resource not
 * waiting for its CRD, an object not waiting for its Namespace) makes the API server refuse an object.
 *
 * As the provider does, a CRD counts as done once it is Established. Not played here: readiness of
 * workloads (nothing runs pods) and admission webhooks (no webhook server runs; see lab/controlplane/README.md).
 */

const directClusters = fleet.clusters.filter((c) => c.bootstrapMode === 'direct');
const scratch = mkdtempSync(join(tmpdir(), 'fleetnet-bootstrap-order-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Lower comes first when several resources are ready: the reverse of Argo CD's kind order. */
const adversarialRank = (o: KubeObject) => {
  if (o.kind === 'Namespace') return 3;
  if (o.kind === 'CustomResourceDefinition') return 2;
  return /^[^/]*\.k8s\.io\/|^[^./]+\/|^v1$/.test(o.apiVersion) ? 1 : 0;
};
const isWebhookConfiguration = (o: KubeObject) => o.apiVersion === 'admissionregistration.k8s.io/v1' && /WebhookConfiguration$/.test(o.kind);

interface Step {
  readonly registration: Registration;
  readonly object: KubeObject;
  readonly waitsFor: readonly string[];
}

/** The objects to apply, each with the objects it waits for; webhook configurations count as done without being applied. */
function stepsOf(registrations: readonly Registration[]): { steps: Step[]; skipped: string[] } {
  const objects = registrations.filter((r) => r.custom && r.type.startsWith('kubernetes:'));
  const urns = new Set(objects.map((r) => r.urn));
  const all = objects.map((registration) => ({ registration, object: registration.inputs as unknown as KubeObject, waitsFor: registration.dependencies.filter((u) => urns.has(u)) }));
  return {
    steps: all.filter((s) => !isWebhookConfiguration(s.object)),
    skipped: all.filter((s) => isWebhookConfiguration(s.object)).map((s) => s.registration.urn),
  };
}

for (const cluster of directClusters) {
  describe(`${cluster.name}: the order the bootstrap declares satisfies a real API server`, () => {
    let cp: ControlPlane;
    let admin: KubeClient;
    let steps: Step[];
    let skipped: string[];

    beforeAll(async () => {
      const kubeconfig = writeKubeconfigFile(join(scratch, `${cluster.name}.kubeconfig`), { [cluster.name]: cluster.apiServer });
      const run = await runBootstrapProgram({ stack: cluster.name, dryRun: false, kubeconfig });
      if (run.exitCode !== 0) throw new Error(`the program failed:\n${run.logs.map((l) => l.message).join('\n')}`);
      ({ steps, skipped } = stepsOf(run.registrations));
      cp = await startControlPlane({ name: `bootstrap-${cluster.name}`, serviceClusterIpRange: cluster.podNetwork.serviceCidr });
      admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    }, 240_000);

    afterAll(async () => {
      admin?.close();
      await cp?.stop();
    });

    it('out of order, the same objects are refused: a custom resource before its CRD, an object before its Namespace', async () => {
      const custom = steps.find((s) => adversarialRank(s.object) === 0);
      const namespaced = steps.find((s) => s.object.metadata.namespace && steps.some((n) => n.object.kind === 'Namespace' && n.object.metadata.name === s.object.metadata.namespace));
      expect(custom, 'the cluster has a custom resource').toBeDefined();
      expect(namespaced, 'the cluster has an object in a namespace of its own').toBeDefined();
      const [early] = await admin.serverSideApply([custom!.object], { fieldManager: 'order-check', dryRun: true });
      expect(early.ok).toBe(false);
      const [orphan] = await admin.serverSideApply([namespaced!.object], { fieldManager: 'order-check', dryRun: true });
      expect(orphan.ok).toBe(false);
      expect(orphan.message).toContain('not found');
    });

    it('in the worst order the dependency graph allows, every object is accepted', async () => {
      const done = new Set<string>(skipped);
      const pending = [...steps];
      const refused: string[] = [];
      for (let i = 0; pending.length > 0 && i < 10_000; i++) {
        const ready = pending.filter((s) => s.waitsFor.every((u) => done.has(u)));
        expect(ready.length, 'the graph has a cycle').toBeGreaterThan(0);
        ready.sort((a, b) => adversarialRank(a.object) - adversarialRank(b.object) || b.registration.name.localeCompare(a.registration.name));
        const next = ready[0];
        const [result] = await admin.serverSideApply([next.object], { fieldManager: 'pulumi-kubernetes' });
        if (!result.ok) refused.push(`${next.registration.type} ${next.registration.name}: ${result.message}`);
        if (result.ok && next.object.kind === 'CustomResourceDefinition') await admin.waitForCrdsEstablished([next.object.metadata.name!], { timeoutMs: 30_000 });
        done.add(next.registration.urn);
        pending.splice(pending.indexOf(next), 1);
      }
      expect(refused).toEqual([]);
      expect(done.size).toBe(steps.length + skipped.length);
    }, 120_000);
  });
}

describe('the example fleet', () => {
  it("has a cluster in mode 'direct' to play", () => {
    expect(directClusters.length).toBeGreaterThan(0);
  });
});
