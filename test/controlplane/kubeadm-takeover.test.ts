/**
 * Most clusters come with kubeadm's CoreDNS addon: Deployment `coredns`, Service `kube-dns`, ConfigMap
 * `coredns` and ServiceAccount `coredns` in kube-system. Our cluster-dns stack takes those objects over
 * under the same names, as Argo CD does it (server-side apply, forcing conflicts). A Deployment's
 * selector cannot change, so ours must select exactly what kubeadm's does, or the first sync fails.
 *
 * The kubeadm objects below are written from what `kubeadm init` installs (names, labels, selector,
 * ports, the ConfigMap mount), not from its templates.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleet } from '../../clusters/index';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { ApplyResult, formatApplyFailures, KubeClient, KubeObject } from '../../lab/controlplane/kube-client';
import { readManifests } from '../../lab/controlplane/rendered';

const chartsOut = resolve(__dirname, '../../charts-out');
const NS = 'kube-system';
const KUBEADM_SELECTOR = { 'k8s-app': 'kube-dns' };

/** What kubeadm's CoreDNS addon leaves in kube-system. */
function kubeadmCoreDns(serviceIP: string): KubeObject[] {
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: NS } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: NS }, data: { Corefile: '.:53 {\n    errors\n    forward . /etc/resolv.conf\n}\n' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: NS, labels },
      spec: {
        replicas: 2, selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'coredns', priorityClassName: 'system-cluster-critical', dnsPolicy: 'Default',
            containers: [{
              name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1', args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            }],
            volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: NS, labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        clusterIP: serviceIP, selector: labels,
        ports: [
          { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' },
        ],
      },
    },
  ];
}

let cp: ControlPlane | undefined;
let admin: KubeClient;

beforeAll(async () => {
  cp = await startControlPlane({ name: 'kubeadm-takeover' });
  admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
});

afterAll(async () => {
  admin?.close();
  await cp?.stop();
});

/** Our cluster-dns objects of a cluster, as committed. */
function clusterDnsObjects(cluster: string): KubeObject[] {
  const { objects, errors } = readManifests(resolve(chartsOut, cluster, 'cluster-dns'));
  expect(errors).toEqual([]);
  return objects.map((o) => o.object);
}

async function freshKubeadmAddon(serviceIP: string): Promise<void> {
  for (const o of kubeadmCoreDns(serviceIP)) await admin.delete(o.apiVersion, o.kind, o.metadata.name!, NS);
  await admin.delete('apps/v1', 'DaemonSet', 'coredns', NS);
  for (const o of kubeadmCoreDns(serviceIP)) await admin.create(o);
}

const REPLACE = 'argocd.argoproj.io/sync-options';

/**
 * Syncs objects the way Argo CD does: those annotated `Replace=true` are replaced whole (PUT, or
 * created when missing, as `kubectl replace`/`create`), the rest applied server-side.
 */
async function syncLikeArgoCd(objects: KubeObject[]): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const o of objects) {
    if (!(o.metadata.annotations as Record<string, string> | undefined)?.[REPLACE]?.includes('Replace=true')) {
      results.push(...(await admin.serverSideApply([o], { fieldManager: 'argocd-controller' })));
      continue;
    }
    const id = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, namespace: o.metadata.namespace };
    const exists = (await admin.get(o.apiVersion, o.kind, o.metadata.name!, o.metadata.namespace)) !== undefined;
    const path = await admin.pathFor(o.apiVersion, o.kind, { namespace: o.metadata.namespace, name: exists ? o.metadata.name : undefined });
    const res = await admin.request<KubeObject>(exists ? 'PUT' : 'POST', path, { body: o });
    results.push({ ...id, ok: res.status < 300, status: res.status, object: res.body, message: res.status < 300 ? undefined : res.text });
  }
  return results;
}

describe('taking over kubeadm\'s CoreDNS addon', () => {
  const byWorkload = [
    ['Deployment', fleet.clusters.find((c) => !c.dns.daemonSet)!],
    ['DaemonSet', fleet.clusters.find((c) => c.dns.daemonSet)!],
  ] as const;

  it.each(byWorkload)('as a %s: every object of cluster-dns is accepted over kubeadm\'s, and kube-dns still selects the DNS pods', async (_kind, cluster) => {
    await freshKubeadmAddon(cluster.dns.serviceIP);
    const results = await syncLikeArgoCd(clusterDnsObjects(cluster.name));
    expect(results.filter((r) => !r.ok), formatApplyFailures(results)).toEqual([]);

    const service = await admin.get<KubeObject & { spec: { selector: Record<string, string>; clusterIP: string } }>('v1', 'Service', 'kube-dns', NS);
    // Selector fields kubeadm set and we do not would stay: the Service must select exactly our pods.
    const workload = results.find((r) => r.kind === (cluster.dns.daemonSet ? 'DaemonSet' : 'Deployment'))!.object! as KubeObject & {
      spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
    };
    expect(service!.spec.clusterIP).toBe(cluster.dns.serviceIP);
    for (const [k, v] of Object.entries(service!.spec.selector)) expect(workload.spec.template.metadata.labels[k], `pod label ${k}`).toBe(v);
    expect(workload.spec.selector.matchLabels).toEqual(KUBEADM_SELECTOR);

    // Nothing of kubeadm's is left inside the objects we own: only our ports and volumes.
    const ours = clusterDnsObjects(cluster.name);
    const kind = cluster.dns.daemonSet ? 'DaemonSet' : 'Deployment';
    const podSpec = (o: KubeObject) => (o.spec as { template: { spec: { containers: { ports: unknown[] }[]; volumes: unknown[] } } }).template.spec;
    const live = await admin.get<KubeObject>('apps/v1', kind, 'coredns', NS);
    const wanted = ours.find((o) => o.kind === kind)!;
    expect(podSpec(live!).containers.map((c) => c.ports)).toEqual(podSpec(wanted).containers.map((c) => c.ports));
    const volumeNames = (o: KubeObject) => (podSpec(o).volumes as { name: string }[]).map((v) => v.name);
    expect(volumeNames(live!)).toEqual(volumeNames(wanted));
    const ports = (o: KubeObject) => (o.spec as { ports: { port: number; protocol: string }[] }).ports.map((p) => `${p.port}/${p.protocol}`);
    expect(ports(service!)).toEqual(ports(ours.find((o) => o.kind === 'Service' && o.metadata.name === 'kube-dns')!));
  });

  it('merging instead of replacing is refused: kubeadm\'s ports and volume would stay beside ours', async () => {
    const cluster = byWorkload[0][1];
    await freshKubeadmAddon(cluster.dns.serviceIP);
    const deployment = clusterDnsObjects(cluster.name).find((o) => o.kind === 'Deployment')!;
    const [result] = await admin.serverSideApply([deployment], { fieldManager: 'argocd-controller' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/Duplicate value: "dns"/);
  });

  it('the check can fail: a Deployment selecting other labels is refused over kubeadm\'s (selector is immutable)', async () => {
    const cluster = byWorkload[0][1];
    await freshKubeadmAddon(cluster.dns.serviceIP);
    const deployment = clusterDnsObjects(cluster.name).find((o) => o.kind === 'Deployment')! as KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
    const other = { 'app.kubernetes.io/name': 'coredns' };
    const changed = { ...deployment, spec: { ...deployment.spec, selector: { matchLabels: other }, template: { ...deployment.spec.template, metadata: { labels: other } } } };
    const [result] = await admin.serverSideApply([changed], { fieldManager: 'argocd-controller' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/field is immutable/);
  });
});
