import { Chart, Testing } from 'cdk8s';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CniInstall } from '../../constructs/cni/install';
import { CniNetworkConfigList } from '../../constructs/cni/network-config';
import { BridgePlugin, HostLocalIpam, PortmapPlugin } from '../../constructs/cni/plugins';
import { ControlPlane, startControlPlane } from '../harness/control-plane';
import { ApplyResult, KubeClient, KubeObject, readManifests } from '../harness/kube-client';
import { loadChartsOut } from '../manifests/load';

/**
 * The synthesized CNI install against a real API server: every object is accepted, and its writer pod
 * passes Pod Security only where `privileged` is enforced (hostPath and the host network).
 */

const chartsOut = resolve(__dirname, '../../charts-out');
const clusters = [...new Set(loadChartsOut(chartsOut).filter((o) => o.stack === 'cni').map((o) => o.cluster))];

let cp: ControlPlane | undefined;
let admin: KubeClient;
const applied = new Map<string, ApplyResult[]>();

beforeAll(async () => {
  cp = await startControlPlane({ name: 'cni' });
  admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  for (const cluster of clusters) applied.set(cluster, await admin.applyDirectory(join(chartsOut, cluster, 'cni'), { fieldManager: 'argocd-controller' }));
}, 240_000);

afterAll(async () => {
  admin?.close();
  await cp?.stop();
});

async function dryRunPod(namespace: string, spec: unknown) {
  return admin.request<{ message: string }>('POST', `/api/v1/namespaces/${namespace}/pods`, {
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'writer-check', namespace }, spec },
    query: { dryRun: 'All' },
  });
}

describe('the CNI stack on a real API server', () => {
  it('is in charts-out for at least one cluster', () => {
    expect(clusters.length).toBeGreaterThan(0);
  });

  it.each(clusters)('accepts every object of charts-out/%s/cni', (cluster) => {
    const results = applied.get(cluster)!;
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.length).toBe(readManifests(join(chartsOut, cluster, 'cni')).objects.length);
  });

  it('admits the writer pod in its privileged namespace, and baseline refuses it for hostPath and the host network', async () => {
    const ds = readManifests(join(chartsOut, clusters[0], 'cni')).objects.find((m) => m.object.kind === 'DaemonSet')!.object;
    const spec = (ds.spec as { template: { spec: { serviceAccountName: string } } }).template.spec;
    const ok = await dryRunPod(ds.metadata.namespace!, spec);
    expect(ok.status, ok.text).toBe(201);
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'baseline-cni', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
    await admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: spec.serviceAccountName, namespace: 'baseline-cni' } });
    const refused = await dryRunPod('baseline-cni', spec);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/host namespaces \(hostNetwork=true\)/);
    expect(refused.body.message).toMatch(/hostPath volumes? \(volume "net-d"\)/);
    // Nothing else baseline checks: the container itself is unprivileged.
    expect(refused.body.message).not.toMatch(/privileged|capabilities/);
  });

  it('keeps the DaemonSet on the listed nodes: one metadata.name term per node (the API server refuses several names in one)', async () => {
    const ds = readManifests(join(chartsOut, clusters[0], 'cni')).objects.find((m) => m.object.kind === 'DaemonSet')!.object;
    const stored = (applied.get(clusters[0])!.find((r) => r.kind === 'DaemonSet')!.object!.spec as any).template.spec.affinity.nodeAffinity;
    const terms = stored.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms as { matchFields: { key: string; values: string[] }[] }[];
    expect(terms.length).toBeGreaterThan(1);
    for (const t of terms) expect(t.matchFields).toEqual([{ key: 'metadata.name', operator: 'In', values: [expect.any(String)] }]);
    const merged = JSON.parse(JSON.stringify(ds));
    merged.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: terms.map((t) => t.matchFields[0].values[0]) }] }];
    const refused = await admin.request<{ message: string }>('POST', `/apis/apps/v1/namespaces/${ds.metadata.namespace}/daemonsets`, { body: { ...merged, metadata: { ...merged.metadata, name: 'merged-terms' } }, query: { dryRun: 'All' } });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/must be only one value when `operator` is 'In' or 'NotIn' for node field selector/);
  });

  it('accepts the plugin-binary copy from an image volume', async () => {
    const chart = new Chart(Testing.app(), 'c', { disableResourceNameHashes: true });
    const network = new CniNetworkConfigList({ name: 'pods', plugins: [new BridgePlugin({ ipam: new HostLocalIpam({ subnets: ['10.88.0.0/24'] }) }), new PortmapPlugin()] });
    new CniInstall(chart, 'install', { namespace: 'cni-image-volume', nodes: [{ name: 'node-1', network }], pluginBinaries: { image: { image: 'example.org/cni-plugins', version: 'v1.3.0' }, directory: '/opt/cni/bin' } });
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cni-image-volume', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
    const results = await admin.serverSideApply(Testing.synth(chart) as KubeObject[], { fieldManager: 'fleetnet-test' });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const stored = results.find((r) => r.kind === 'DaemonSet')!.object!;
    const volumes = (stored.spec as { template: { spec: { volumes: { name: string; image?: unknown }[] } } }).template.spec.volumes;
    expect(volumes.find((v) => v.name === 'plugins')?.image).toEqual({ reference: 'example.org/cni-plugins:v1.3.0', pullPolicy: 'IfNotPresent' });
  });
});
