/**
 * Day-2 through Git on the running test-x lab (`npm run lab -- test-x`: a real node, real Argo CD):
 * FLEETNET_LAB_USE_RUNNING=1 npx vitest run test/lab/argocd-day2.test.ts
 * Checks there is no health override for Deployments, DaemonSets, PDBs or Services and no webhook that
 * fails open, then: a changed record is rolled out (to the gateway Pods' answers), a removed file is
 * pruned, a hand-deleted object is healed; its commits are reverted afterwards. `npm test` covers the
 * same on a lab of its own in test/lab/tier.test.ts (two lab bring-ups of test-x cannot run at once).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { LabKube, pushCommit, readKubeconfig, requestRefresh, waitForApplications } from '../../lab/argocd';
import { waitFor } from '../../lab/process';
import { readLabCluster } from '../../lab/lab';
import type { LabCluster } from '../../lab/lab';

const CLUSTER = 'test-x';
const useRunning = process.env.FLEETNET_LAB_USE_RUNNING === '1';
const timings: Record<string, number> = {};

let lab: LabCluster;
let kube: LabKube;
let originals: { gateway: string; metrics: string } | undefined;
/**
 * The TTL the gateway Pods answer for the gateway's own name, asked at its LoadBalancer address (a lab
 * address on the lab's bridge, from MetalLB); undefined when no answer.
 */
async function gatewayTtl(): Promise<number | undefined> {
  const svc = await kube.get('v1', 'services', 'gateway', 'dns-gateway');
  const ip = svc?.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
  const cm = await kube.get('v1', 'configmaps', 'gateway', 'dns-gateway');
  const zone = /^(\S+?):\d+ \{/m.exec(cm?.data?.Corefile ?? '')?.[1];
  if (!ip || !ip.startsWith('198.18.') || !zone) return undefined; // only ever a lab address
  try {
    const out = execFileSync('dig', ['+time=2', '+tries=1', '+noall', '+answer', `@${ip}`, `gateway.dns-gateway.${zone}`, 'A'], { encoding: 'utf8', timeout: 10_000 });
    const ttl = Number(out.trim().split(/\s+/)[1]);
    return Number.isFinite(ttl) ? ttl : undefined;
  } catch {
    return undefined;
  }
}
const gatewayFile = (dir: string) => join(dir, 'charts-out', CLUSTER, 'cluster-gateway', 'configmap.gateway.yaml');
const metricsFile = (dir: string) => join(dir, 'charts-out', CLUSTER, 'cluster-gateway', 'service.gateway-metrics.yaml');

describe.runIf(useRunning)(`real Argo CD on the running ${CLUSTER} lab: day-2 flows through Git`, () => {
  beforeAll(async () => {
    const running = readLabCluster(CLUSTER);
    if (!running) throw new Error(`no ${CLUSTER} lab is up: run npm run lab -- ${CLUSTER}`);
    lab = running;
    kube = new LabKube(readKubeconfig(lab.kubeconfig));
    const { elapsedMs } = await waitForApplications(kube, { timeoutMs: 300_000 });
    timings.alreadySyncedHealthyCheckMs = elapsedMs;
    originals = { gateway: readFileSync(gatewayFile(lab.git.workDir), 'utf8'), metrics: readFileSync(metricsFile(lab.git.workDir), 'utf8') };
  }, 400_000);

  afterAll(async () => {
    if (originals && lab) {
      const o = originals;
      pushCommit(lab.git, 'lab: day-2 checks reverted', (dir) => {
        writeFileSync(gatewayFile(dir), o.gateway);
        writeFileSync(metricsFile(dir), o.metrics);
      });
      await requestRefresh(kube, ['fleetnet-root', 'fleetnet-cluster-gateway']);
      await waitForApplications(kube, { timeoutMs: 300_000 });
    }
    kube?.close();
    console.log(`argocd day-2 timings (ms): ${JSON.stringify(timings)}`);
  }, 400_000);

  it('has no health override for Deployments, DaemonSets, PDBs or Services', async () => {
    const cm = await kube.get('v1', 'configmaps', 'argocd-cm', 'argocd');
    const overrides = Object.keys(cm.data ?? {}).filter((k) => k.startsWith('resource.customizations'));
    expect(overrides.filter((k) => /_(Deployment|DaemonSet|PodDisruptionBudget|Service)$/.test(k) || /health\.(apps|policy)?$/.test(k))).toEqual([]);
    const webhooks = await kube.list('admissionregistration.k8s.io/v1', 'validatingwebhookconfigurations');
    for (const w of webhooks) for (const h of w.webhooks ?? []) expect(h.failurePolicy ?? 'Fail', `${w.metadata.name}/${h.name}`).toBe('Fail');
  });


  it('rolls out a commit that changes the gateway records\' TTL', async () => {
    const begin = Date.now();
    const next = pushCommit(lab.git, 'lab: gateway answers with ttl 60', (dir) => {
      const cm = parse(readFileSync(gatewayFile(dir), 'utf8'));
      expect(cm.data.Corefile).toContain('ttl 30');
      cm.data.Corefile = cm.data.Corefile.replace('ttl 30', 'ttl 60');
      writeFileSync(gatewayFile(dir), stringify(cm));
    });
    await requestRefresh(kube, ['fleetnet-root', 'fleetnet-cluster-gateway']);
    await waitFor('the new TTL live', async () => (await kube.get('v1', 'configmaps', 'gateway', 'dns-gateway'))?.data?.Corefile?.includes('ttl 60'), { timeoutMs: 180_000, intervalMs: 500 });
    timings.recordRolledOutMs = Date.now() - begin;
    await waitForApplications(kube, { names: ['fleetnet-root', 'fleetnet-cluster-gateway'], revision: next, timeoutMs: 300_000 });
    await waitForApplications(kube, { timeoutMs: 300_000 });
    timings.recordSyncedHealthyMs = Date.now() - begin;
    // The gateway Pods answer with it (kubelet refreshes the mounted ConfigMap, CoreDNS's reload picks it up).
    await waitFor('the gateway Pods answering with ttl 60', async () => (await gatewayTtl()) === 60, { timeoutMs: 300_000, intervalMs: 2000 });
    timings.recordAnsweredByPodsMs = Date.now() - begin;
  }, 600_000);

  it('prunes a Service whose file is removed from Git', async () => {
    const begin = Date.now();
    expect(await kube.get('v1', 'services', 'gateway-metrics', 'dns-gateway')).toBeDefined();
    const next = pushCommit(lab.git, 'lab: no gateway metrics Service', (dir) => rmSync(metricsFile(dir)));
    await requestRefresh(kube, ['fleetnet-root', 'fleetnet-cluster-gateway']);
    await waitFor('gateway-metrics pruned', async () => (await kube.get('v1', 'services', 'gateway-metrics', 'dns-gateway')) === undefined, { timeoutMs: 180_000, intervalMs: 500 });
    timings.pruneMs = Date.now() - begin;
    await waitForApplications(kube, { names: ['fleetnet-root', 'fleetnet-cluster-gateway'], revision: next, timeoutMs: 300_000 });
    await waitForApplications(kube, { timeoutMs: 300_000 });
  }, 600_000);

  it('heals a hand-deleted ConfigMap', async () => {
    const before = await kube.get('v1', 'configmaps', 'gateway', 'dns-gateway');
    const begin = Date.now();
    await kube.delete('v1', 'configmaps', 'gateway', 'dns-gateway');
    const value = await waitFor('gateway ConfigMap recreated', async () => {
      const cm = await kube.get('v1', 'configmaps', 'gateway', 'dns-gateway');
      return cm && cm.metadata.uid !== before.metadata.uid ? cm : undefined;
    }, { timeoutMs: 180_000, intervalMs: 250 });
    timings.selfHealMs = Date.now() - begin;
    expect(value.data.Corefile).toContain('ttl 60');
    await waitForApplications(kube, { timeoutMs: 300_000 });
  }, 600_000);
});
