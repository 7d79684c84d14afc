/**
 * Scheduling of the DNS path: a priority class on every DNS and speaker pod, spread over zones and
 * hosts, and the cluster DNS autoscaling option; what the real API server makes of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';
import { renderCluster } from '../../synth/render';
import { startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, KubeObject } from '../../lab/controlplane/kube-client';
import { synthesized, writeStacks } from '../../lab/controlplane/rendered';
import { loadChartsOut } from '../manifests/load';

type PodSpec = { priorityClassName?: string; topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[] };
type Workload = { kind: string; metadata: { name: string; namespace?: string }; spec: { replicas?: number; template: { spec: PodSpec } } };
const objects = loadChartsOut(resolve(__dirname, '../../charts-out'));
const workloads = objects.filter((o) => o.object.kind === 'Deployment' || o.object.kind === 'DaemonSet');
/** DNS servers and the speaker: what answers or announces a DNS address. */
const dnsPath = workloads.filter((o) => ['cluster-dns', 'cluster-gateway', 'tier-authority', 'powerdns'].includes(o.stack) || o.object.metadata.name === 'metallb-speaker');

describe('scheduling in charts-out', () => {
  it('every DNS and speaker pod has a system priority class (node-critical for the per-node speaker)', () => {
    expect(new Set(dnsPath.map((o) => o.stack))).toEqual(new Set(['cluster-dns', 'cluster-gateway', 'tier-authority', 'powerdns', 'metallb']));
    for (const o of dnsPath) {
      const want = o.object.metadata.name === 'metallb-speaker' ? 'system-node-critical' : 'system-cluster-critical';
      expect((o.object as unknown as Workload).spec.template.spec.priorityClassName, o.file).toBe(want);
    }
  });

  it('every DNS Deployment with more than one replica spreads softly over zones and hosts', () => {
    const deployments = dnsPath.filter((o) => o.object.kind === 'Deployment');
    expect(deployments.length).toBeGreaterThan(4);
    for (const o of deployments) {
      const w = o.object as unknown as Workload;
      expect(w.spec.replicas, o.file).toBeGreaterThan(1);
      expect(w.spec.template.spec.topologySpreadConstraints?.map((t) => `${t.topologyKey} ${t.whenUnsatisfiable}`), o.file)
        .toEqual(['topology.kubernetes.io/zone ScheduleAnyway', 'kubernetes.io/hostname ScheduleAnyway']);
    }
  });
});

const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const dns = { serviceIP: '10.96.0.10', upstreams: ['127.0.24.99'] };
const mgmt = cluster({ name: 'as-mgmt', tier: 'as', role: 'management', apiServer: 'https://127.0.0.1:6443', loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.24.48/28'] }] }, dns: { ...dns, authorityIP: '127.0.24.53' }, podNetwork });
const scaled = cluster({
  name: 'as-x', tier: 'as', role: 'workload', apiServer: 'https://127.0.0.1:6443', loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.24.0/28'] }] },
  dns: { ...dns, gatewayIP: '127.0.24.1', autoscaling: { maxReplicas: 10 } }, podNetwork,
});
const asFleet = fleet({ domain: 'platform.test', tiers: [{ name: 'as' }], git: { repoURL: 'https://git.example/fleetnet.git' }, clusters: [mgmt, scaled] });

describe('cluster DNS autoscaling (dns.autoscaling)', () => {
  it('renders a CPU HorizontalPodAutoscaler and leaves replicas to it', () => {
    const stack = synthesized(asFleet, scaled).get('cluster-dns')!;
    const hpa = stack.find((o) => o.kind === 'HorizontalPodAutoscaler') as unknown as { spec: Record<string, unknown> };
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'coredns' }, minReplicas: 2, maxReplicas: 10 });
    expect(JSON.stringify(hpa.spec.metrics)).toContain('"averageUtilization":70');
    const deployment = stack.find((o) => o.kind === 'Deployment') as unknown as Workload;
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(stack.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
    // Without the option: a fixed count and no autoscaler.
    expect(synthesized(asFleet, mgmt).get('cluster-dns')!.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('is refused for a DaemonSet, with the fix', () => {
    const both = cluster({ ...scaled, name: 'as-y', dns: { ...scaled.dns, daemonSet: true } });
    const f = fleet({ ...asFleet.props, clusters: [mgmt, both] });
    expect(() => renderCluster(f, both)).toThrow(/autoscaling applies to a Deployment.*Fix/);
  });

  it('a real API server accepts the autoscaler, and resolves the priority class of a DNS pod outside kube-system', async () => {
    const cp = await startControlPlane({ name: 'scheduling' });
    const admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    const work = mkdtempSync(join(tmpdir(), 'fleetnet-scheduling-'));
    try {
      const results = await admin.applyDirectory(writeStacks(work, asFleet, scaled, ['cluster-dns', 'cluster-gateway']), { fieldManager: 'fleetnet-test' });
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(results.some((r) => r.kind === 'HorizontalPodAutoscaler' && r.ok)).toBe(true);
      const gateway = results.find((r) => r.kind === 'Deployment' && r.namespace === 'dns-gateway')!;
      const template = (gateway.object!.spec as { template: { spec: object } }).template;
      const res = await admin.request('POST', '/api/v1/namespaces/dns-gateway/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: template.spec } as KubeObject, query: { dryRun: 'All' } });
      expect(res.status).toBe(201);
      expect((res.body as { spec: { priority: number } }).spec.priority).toBe(2000000000);
    } finally {
      admin.close();
      await cp.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
