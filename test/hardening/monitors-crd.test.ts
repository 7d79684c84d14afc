/**
 * The Prometheus Operator monitors we render, against the operator's own CRDs (goModules.prometheusOperator,
 * read from the Go module cache) in a real kube-apiserver: each cluster of a fleet with
 * `monitoring.prometheusOperator` gets a control plane, the ServiceMonitor and PodMonitor CRDs, and every
 * stack of the cluster but its Argo CD Applications; the monitors are server-side applied with strict field validation, so a field the
 * schema does not have, or a value its patterns refuse, fails the test. Then the API server itself picks
 * what each stored monitor selects: the Services (by label selector, in the monitor's namespace) with a
 * port of the endpoint's name, and the Pods of our Deployments (created from their templates) with a
 * container port of that name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, Cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';
import { renderCluster } from '../../synth/render';
import { ControlPlane, startControlPlane } from '../harness/control-plane';
import { KubeClient, KubeObject } from '../harness/kube-client';
import { prometheusOperatorCrds } from '../harness/prometheus-operator-crds';
import { synthesized, writeStacks } from '../harness/rendered';
import { pdMgmt, pdY, powerdnsFleet } from '../powerdns/test-fleet';

type Monitor = KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints?: { port: string }[]; podMetricsEndpoints?: { port: string }[] } };
type Container = { name: string; ports?: { name?: string; containerPort: number }[] };

const on = { prometheusOperator: true };
const mgmt = cluster({ ...pdMgmt, monitoring: on });
const y = cluster({ ...pdY, monitoring: on });
const withOperator = fleet({ ...powerdnsFleet.props, clusters: [mgmt, y] });
const crds = prometheusOperatorCrds(['servicemonitors', 'podmonitors']);
const isMonitor = (o: { kind: string }) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor';
const labelSelector = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

interface Run {
  readonly cp: ControlPlane;
  readonly kube: KubeClient;
  readonly monitors: Monitor[];
  readonly applied: { ok: boolean; status: number; message: string; monitor: Monitor }[];
  readonly dir: string;
}
const runs = new Map<string, Run>();

async function strictApply(kube: KubeClient, object: KubeObject) {
  const path = await kube.pathFor(object.apiVersion, object.kind, { namespace: object.metadata.namespace, name: object.metadata.name });
  const res = await kube.request<KubeObject & { message?: string }>('PATCH', path, {
    body: object,
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'argocd-controller', force: 'true', fieldValidation: 'Strict' },
  });
  return { ok: res.status >= 200 && res.status < 300, status: res.status, message: res.body?.message ?? res.text, stored: res.body };
}

async function bringUp(c: Cluster): Promise<Run> {
  const cp = await startControlPlane({ name: `monitors-${c.name}` });
  const kube = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  for (const crd of crds) expect((await kube.serverSideApply([crd], { fieldManager: 'fleetnet-test' }))[0].ok).toBe(true);
  await kube.waitForCrdsEstablished(crds.map((crd) => crd.metadata.name!));
  await kube.refreshDiscovery();
  const dir = writeStacks(mkdtempSync(join(tmpdir(), `fleetnet-monitors-${c.name}-`)), withOperator, c, renderCluster(withOperator, c).stacks.map((s) => s.name).filter((s) => s !== 'argocd'));
  await kube.applyDirectory(dir, { fieldManager: 'argocd-controller', filter: (o) => !isMonitor(o) });
  const monitors = [...synthesized(withOperator, c).values()].flat().filter(isMonitor) as unknown as Monitor[];
  const applied = [];
  for (const monitor of monitors) applied.push({ ...(await strictApply(kube, monitor)), monitor });
  return { cp, kube, monitors, applied, dir };
}

beforeAll(async () => {
  for (const c of [mgmt, y]) runs.set(c.name, await bringUp(c));
}, 300_000);

afterAll(async () => {
  for (const run of runs.values()) {
    run.kube.close();
    await run.cp.stop();
    rmSync(run.dir, { recursive: true, force: true });
  }
});

describe('the Prometheus Operator CRDs of the catalog', () => {
  it('are the operator\'s ServiceMonitor and PodMonitor, served as monitoring.coreos.com/v1', () => {
    expect(crds.map((c) => c.metadata.name)).toEqual(['servicemonitors.monitoring.coreos.com', 'podmonitors.monitoring.coreos.com']);
    for (const c of crds) expect((c.spec as { versions: { name: string; served: boolean }[] }).versions.filter((v) => v.served).map((v) => v.name)).toEqual(['v1']);
  });

  it('refuse a monitor outside their schema (so the checks below can fail)', async () => {
    const run = runs.get(y.name)!;
    const good = run.monitors.find((m) => m.kind === 'ServiceMonitor')!;
    const typo = { ...good, metadata: { ...good.metadata, name: 'typo' }, spec: { ...good.spec, endpoints: [{ port: 'metrics', intervall: '30s' }] } };
    const badInterval = { ...good, metadata: { ...good.metadata, name: 'bad-interval' }, spec: { ...good.spec, endpoints: [{ port: 'metrics', interval: '30 seconds' }] } };
    const r1 = await strictApply(run.kube, typo as KubeObject);
    // Server-side apply builds the typed object from the CRD's schema first (kube-apiserver answers 500 here).
    expect(r1.ok).toBe(false);
    expect(r1.message).toMatch(/\.spec\.endpoints\[0\]\.intervall: field not declared in schema/);
    const r2 = await strictApply(run.kube, badInterval as KubeObject);
    expect(r2.status).toBe(422);
    expect(r2.message).toMatch(/spec\.endpoints\[0\]\.interval/);
  });
});

describe.each([mgmt, y].map((c) => [c.name]))('cluster %s with monitoring.prometheusOperator', (name) => {
  it('renders monitors, and the API server stores every one of them under the CRDs\' schema', () => {
    const run = runs.get(name)!;
    expect(run.monitors.length).toBeGreaterThan(0);
    expect(run.applied.filter((a) => !a.ok).map((a) => `${a.monitor.kind} ${a.monitor.metadata.name}: ${a.status} ${a.message}`)).toEqual([]);
  });

  it('each ServiceMonitor selects exactly its CoreDNS metrics Service, which has the endpoint\'s port', async () => {
    const run = runs.get(name)!;
    for (const m of run.monitors.filter((x) => x.kind === 'ServiceMonitor')) {
      const stored = (await run.kube.get('monitoring.coreos.com/v1', 'ServiceMonitor', m.metadata.name!, m.metadata.namespace)) as Monitor;
      const port = stored.spec.endpoints![0].port;
      const res = await run.kube.request<{ items: { metadata: { name: string }; spec: { ports: { name?: string }[] } }[] }>('GET', `/api/v1/namespaces/${m.metadata.namespace}/services`, { query: { labelSelector: labelSelector(stored.spec.selector.matchLabels) } });
      expect(res.status).toBe(200);
      const scraped = res.body.items.filter((s) => s.spec.ports.some((p) => p.name === port)).map((s) => s.metadata.name);
      expect(scraped, `${m.metadata.namespace}/${m.metadata.name}`).toEqual([`${m.metadata.name}-metrics`]);
    }
  });

  it('each PodMonitor selects the Pods of exactly one of our Deployments, with a container port of the endpoint\'s name', async () => {
    const run = runs.get(name)!;
    for (const m of run.monitors.filter((x) => x.kind === 'PodMonitor')) {
      const ns = m.metadata.namespace!;
      const stored = (await run.kube.get('monitoring.coreos.com/v1', 'PodMonitor', m.metadata.name!, ns)) as Monitor;
      const port = stored.spec.podMetricsEndpoints![0].port;
      // No controller runs here: create each Deployment's Pod from its template, as the ReplicaSet would.
      const deployments = await run.kube.list<KubeObject & { spec: { template: { metadata: { labels: Record<string, string> }; spec: unknown } } }>('apps/v1', 'Deployment', ns);
      for (const d of deployments) {
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${d.metadata.name}-probe`, namespace: ns, labels: d.spec.template.metadata.labels }, spec: d.spec.template.spec };
        const created = await run.kube.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod });
        expect(created.status, created.text).toBe(201);
      }
      const res = await run.kube.request<{ items: { metadata: { name: string }; spec: { containers: Container[] } }[] }>('GET', `/api/v1/namespaces/${ns}/pods`, { query: { labelSelector: labelSelector(stored.spec.selector.matchLabels) } });
      expect(res.status).toBe(200);
      expect(res.body.items.map((p) => p.metadata.name)).toHaveLength(1);
      const withPort = res.body.items[0].spec.containers.filter((c) => c.ports?.some((p) => p.name === port));
      expect(withPort.map((c) => c.name), `${ns}/${m.metadata.name}`).toEqual(['external-dns']);
    }
  });
});

describe('which monitors the fleet gets', () => {
  it('a ServiceMonitor for every CoreDNS and a PodMonitor for external-dns, across the two clusters', () => {
    const seen = [...runs.entries()].flatMap(([c, run]) => run.monitors.map((m) => `${c}:${m.kind}:${m.metadata.namespace}/${m.metadata.name}`)).sort();
    expect(seen.filter((s) => s.includes(':PodMonitor:'))).toHaveLength(1);
    expect(seen.filter((s) => s.includes(':ServiceMonitor:')).length).toBeGreaterThanOrEqual(4);
  });
});
