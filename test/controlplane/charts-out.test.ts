/**
 * Every cluster's charts-out, applied server-side to its own real control plane (RBAC and Pod
 * Security admission on). Argo CD's Applications are left out here: their CRD belongs to Argo CD,
 * and test/manifests/argocd.unit.test.ts validates them against Argo CD's schema instead.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleet } from '../../clusters/index';
import { startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, KubeObject } from '../../lab/controlplane/kube-client';

const chartsOut = resolve(__dirname, '../../charts-out');
const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

describe.each(fleet.clusters.map((c) => [c.name]))('charts-out/%s on a real kube-apiserver', (cluster) => {
  it('every object is accepted, and every pod template passes its namespace\'s Pod Security admission', async () => {
    const cp = await startControlPlane({ name: `charts-${cluster}` });
    const admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    try {
      const results = await admin.applyDirectory(resolve(chartsOut, cluster), {
        fieldManager: 'argocd-controller',
        filter: (_o, file) => !file.startsWith('argocd/'),
      });
      expect(results.length).toBeGreaterThan(0);
      expect(results.filter((r) => !r.ok)).toEqual([]);

      // PodSecurity admission judges Pods, not their controllers: ask it about each pod template.
      const rejected: string[] = [];
      for (const r of results.filter((x) => WORKLOADS.has(x.kind))) {
        const template = (r.object!.spec as { template: { metadata?: object; spec: object } }).template;
        const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${r.name}-probe`, namespace: r.namespace }, spec: template.spec };
        const res = await admin.request('POST', `/api/v1/namespaces/${r.namespace}/pods`, { body: pod, query: { dryRun: 'All' } });
        if (res.status >= 300) rejected.push(`${r.kind} ${r.namespace}/${r.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
      }
      expect(rejected).toEqual([]);

      // The check can fail: the same admission refuses a privileged pod in a restricted namespace.
      const restricted = results.find((r) => r.kind === 'Namespace' && (r.object!.metadata.labels as Record<string, string>)?.['pod-security.kubernetes.io/enforce'] === 'restricted');
      if (restricted) {
        const bad: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'privileged-probe', namespace: restricted.name }, spec: { containers: [{ name: 'x', image: 'x', securityContext: { privileged: true } }] } };
        const res = await admin.request('POST', `/api/v1/namespaces/${restricted.name}/pods`, { body: bad, query: { dryRun: 'All' } });
        expect(res.status).toBe(403);
      }
    } finally {
      admin.close();
      await cp.stop();
    }
  }, 300_000);
});
