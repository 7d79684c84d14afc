/**
 * The full pass on a real node (lab/lab.ts: kubelet, containerd, kube-proxy, controller-manager,
 * scheduler): real Argo CD syncs test-x from the lab's Git repository until every Application is
 * Synced and Healthy by Argo CD's own assessment and every Pod is Ready, with no health overrides for
 * Deployments, DaemonSets, PDBs or Services (argocd-cm is checked), and then the day-2 flows, through
 * Git only: a changed record is rolled out, a removed file is pruned, a hand-deleted object is healed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { binaries } from '../../lab/paths';
import { ARGOCD_BINARY, LabKube, pushCommit, readKubeconfig, requestRefresh, waitFor, waitForApplications } from '../../lab/argocd';
import { labDown, labUp } from '../../lab/lab';
import type { LabCluster } from '../../lab/lab';

const CLUSTER = 'test-x';
const built = existsSync(ARGOCD_BINARY) && Object.values(binaries).every((b) => existsSync(b));
const timings: Record<string, number> = {};

let lab: LabCluster;
let kube: LabKube;
let state: string;

describe.skipIf(!built)(`real Argo CD on a real node: ${CLUSTER} and its day-2 flows through Git`, () => {
  beforeAll(async () => {
    state = mkdtempSync(join(tmpdir(), 'fleetnet-lab-argocd-'));
    process.env.FLEETNET_LAB_STATE = state;
    const begin = Date.now();
    lab = await labUp({ cluster: CLUSTER, timeoutMs: 900_000, log: (l) => console.log(l) });
    timings.upSyncedHealthyPodsReadyMs = Date.now() - begin;
    Object.assign(timings, Object.fromEntries(Object.entries(lab.timings).map(([k, v]) => [`lab: ${k}`, v])));
    kube = new LabKube(readKubeconfig(lab.kubeconfig));
  }, 1_200_000);

  afterAll(async () => {
    kube?.close();
    const problems = await labDown({ clusters: [CLUSTER], log: (l) => console.log(l) }); // also after a failed labUp
    console.log(`argocd day-2 timings (ms): ${JSON.stringify(timings)}`);
    rmSync(state, { recursive: true, force: true });
    delete process.env.FLEETNET_LAB_STATE;
    expect(problems).toEqual([]);
  }, 300_000);

  it('has no health override for Deployments, DaemonSets, PDBs or Services', async () => {
    const cm = await kube.get('v1', 'configmaps', 'argocd-cm', 'argocd');
    const overrides = Object.keys(cm.data ?? {}).filter((k) => k.startsWith('resource.customizations'));
    expect(overrides.filter((k) => /_(Deployment|DaemonSet|PodDisruptionBudget|Service)$/.test(k) || /health\.(apps|policy)?$/.test(k))).toEqual([]);
    const webhooks = await kube.list('admissionregistration.k8s.io/v1', 'validatingwebhookconfigurations');
    for (const w of webhooks) for (const h of w.webhooks ?? []) expect(h.failurePolicy ?? 'Fail', `${w.metadata.name}/${h.name}`).toBe('Fail');
  });

  const gatewayFile = (dir: string) => join(dir, 'charts-out', CLUSTER, 'cluster-gateway', 'configmap.gateway.yaml');

  it('rolls out a commit that changes the gateway records\' TTL', async () => {
    const begin = Date.now();
    const next = pushCommit(lab.git, 'lab: gateway answers with ttl 60', (dir) => {
      const cm = parse(readFileSync(gatewayFile(dir), 'utf8'));
      expect(cm.data.Corefile).toContain('ttl 30');
      cm.data.Corefile = cm.data.Corefile.replace('ttl 30', 'ttl 60');
      writeFileSync(gatewayFile(dir), stringify(cm));
    });
    await requestRefresh(kube, ['fleetnet-root', 'fleetnet-cluster-gateway']);
    await waitFor('the new TTL live', async () => (await kube.get('v1', 'configmaps', 'gateway', 'dns-gateway'))?.data?.Corefile?.includes('ttl 60'), 180_000, 500);
    timings.recordRolledOutMs = Date.now() - begin;
    await waitForApplications(kube, { names: ['fleetnet-root', 'fleetnet-cluster-gateway'], revision: next, timeoutMs: 300_000 });
    await waitForApplications(kube, { timeoutMs: 300_000 });
    timings.recordSyncedHealthyMs = Date.now() - begin;
  }, 600_000);

  it('prunes a Service whose file is removed from Git', async () => {
    const begin = Date.now();
    expect(await kube.get('v1', 'services', 'gateway-metrics', 'dns-gateway')).toBeDefined();
    const next = pushCommit(lab.git, 'lab: no gateway metrics Service', (dir) =>
      rmSync(join(dir, 'charts-out', CLUSTER, 'cluster-gateway', 'service.gateway-metrics.yaml')));
    await requestRefresh(kube, ['fleetnet-root', 'fleetnet-cluster-gateway']);
    await waitFor('gateway-metrics pruned', async () => (await kube.get('v1', 'services', 'gateway-metrics', 'dns-gateway')) === undefined, 180_000, 500);
    timings.pruneMs = Date.now() - begin;
    await waitForApplications(kube, { names: ['fleetnet-root', 'fleetnet-cluster-gateway'], revision: next, timeoutMs: 300_000 });
    await waitForApplications(kube, { timeoutMs: 300_000 });
  }, 600_000);

  it('heals a hand-deleted ConfigMap', async () => {
    const before = await kube.get('v1', 'configmaps', 'gateway', 'dns-gateway');
    const begin = Date.now();
    await kube.delete('v1', 'configmaps', 'gateway', 'dns-gateway');
    const { value } = await waitFor('gateway ConfigMap recreated', async () => {
      const cm = await kube.get('v1', 'configmaps', 'gateway', 'dns-gateway');
      return cm && cm.metadata.uid !== before.metadata.uid ? cm : undefined;
    }, 180_000, 250);
    timings.selfHealMs = Date.now() - begin;
    expect(value.data.Corefile).toContain('ttl 60');
    await waitForApplications(kube, { timeoutMs: 300_000 });
  }, 600_000);
});
