/**
 * Observability: `prometheus` in every server block of every shipped Corefile, and Prometheus
 * Operator monitors rendered exactly when the fleet says the cluster runs the operator. The monitors
 * are checked here against the rendered objects they must select; monitors-crd.test.ts applies them
 * under the operator's own CRDs in a real kube-apiserver and lets it do the selecting.
 */
import { describe, expect, it } from 'vitest';
import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';
import { shippedCorefiles } from '../coredns/shipped-corefiles';
import { synthesized, RenderedObject } from '../harness/rendered';
import { pdMgmt, pdY, powerdnsFleet } from '../powerdns/test-fleet';

type Obj = RenderedObject & { metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown> };
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('metrics in every server block', () => {
  it.each(shippedCorefiles().map((c) => [c.file, c.corefile]))('%s', (_file, corefile) => {
    const blocks = corefile.match(/^\S[^\n]*\{\n[\s\S]*?^\}$/gm) ?? [];
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) expect(b, b.split('\n')[0]).toMatch(/^\s+prometheus :9153$/m);
  });
});

describe('Prometheus Operator monitors (monitoring.prometheusOperator)', () => {
  const on = { prometheusOperator: true };
  const y = cluster({ ...pdY, monitoring: on });
  const mgmt = cluster({ ...pdMgmt, monitoring: on });
  const withOperator = fleet({ ...powerdnsFleet.props, clusters: [mgmt, y] });

  it('are not rendered for a cluster that does not run the operator', () => {
    for (const [, objects] of [...synthesized(powerdnsFleet, pdY), ...synthesized(powerdnsFleet, pdMgmt)]) {
      expect(objects.filter((o) => /Monitor$/.test(o.kind))).toEqual([]);
    }
  });

  it('a ServiceMonitor per CoreDNS selects exactly its metrics Service; a PodMonitor reaches external-dns', () => {
    const stacks = new Map([...synthesized(withOperator, y), ...[...synthesized(withOperator, mgmt)].map(([k, v]) => [`mgmt/${k}`, v] as const)]);
    const seen: string[] = [];
    for (const [stack, list] of stacks) {
      const objects = list as Obj[];
      for (const m of objects.filter((o) => o.kind === 'ServiceMonitor')) {
        const selector = (m.spec!.selector as { matchLabels: Record<string, string> }).matchLabels;
        const port = (m.spec!.endpoints as { port: string }[])[0].port;
        const scraped = objects.filter((o) => o.kind === 'Service' && o.metadata.namespace === m.metadata.namespace && matches(selector, o.metadata.labels)
          && ((o.spec!.ports as { name: string }[]).some((p) => p.name === port)));
        expect(scraped.map((s) => s.metadata.name), `${stack} ${m.metadata.name}`).toEqual([`${m.metadata.name}-metrics`]);
        seen.push(`${stack}:${m.metadata.name}`);
      }
      for (const m of objects.filter((o) => o.kind === 'PodMonitor')) {
        const selector = (m.spec!.selector as { matchLabels: Record<string, string> }).matchLabels;
        const port = (m.spec!.podMetricsEndpoints as { port: string }[])[0].port;
        const pods = objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === m.metadata.namespace
          && matches(selector, (o.spec!.template as { metadata: { labels: Record<string, string> } }).metadata.labels));
        expect(pods).toHaveLength(1);
        const containers = (pods[0].spec!.template as { spec: { containers: { name: string; ports?: { name: string }[] }[] } }).spec.containers;
        expect(containers.find((c) => c.ports?.some((p) => p.name === port))?.name).toBe('external-dns');
        seen.push(`${stack}:${m.metadata.name}`);
      }
    }
    expect(seen.sort()).toEqual(['cluster-dns:coredns', 'cluster-gateway:gateway', 'mgmt/cluster-dns:coredns', 'mgmt/tier-authority:authority', 'powerdns:powerdns-external-dns']);
  });
});
