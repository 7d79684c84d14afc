/**
 * The ingress NetworkPolicies (ClusterProps.networkPolicies): one per DNS server, PowerDNS and the
 * MetalLB controller, each selecting exactly its workload's Pods, DNS open, metrics only from the
 * fleet's monitoring namespace; the fleet's switches and the construct's own errors. Enforcement by a
 * real policy implementation is proven in the lab (test/lab/network-policy.test.ts, kube-router).
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { IngressPolicy } from '../../constructs/network-policy/ingress-policy';
import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';
import { fleetIssues } from '../../fleet/validate';
import { synthesized, RenderedObject } from '../harness/rendered';
import { pdMgmt, pdY, powerdnsFleet } from '../powerdns/test-fleet';

type Obj = RenderedObject & { spec?: any; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
const problems = (f: typeof powerdnsFleet) => fleetIssues(f).map((i) => `${i.cluster} ${i.field}: ${i.problem}. Fix: ${i.fix}`);
const withY = (extra: Record<string, unknown>) => fleet({ ...powerdnsFleet.props, clusters: [cluster({ ...pdMgmt }), cluster({ ...pdY, ...extra })] });

function policies(f: typeof powerdnsFleet, name: string) {
  const stacks = synthesized(f, f.cluster(name));
  const out: { stack: string; policy: Obj; selected: Obj }[] = [];
  for (const [stack, objects] of stacks) {
    for (const policy of objects.filter((o) => o.kind === 'NetworkPolicy') as Obj[]) {
      const workloads = (objects as Obj[]).filter((o) => ['Deployment', 'DaemonSet'].includes(o.kind) && o.metadata.namespace === policy.metadata.namespace);
      const sel = policy.spec.podSelector.matchLabels as Record<string, string>;
      const selected = workloads.filter((w) => Object.entries(sel).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
      expect(selected, `${stack}/${policy.metadata.name} selects exactly one workload`).toHaveLength(1);
      out.push({ stack, policy, selected: selected[0] });
    }
  }
  return out;
}

describe('NetworkPolicies of the stacks', () => {
  it('protects every DNS server, PowerDNS and the MetalLB controller; every named port is one the Pods declare', () => {
    const found = [...policies(powerdnsFleet, pdY.name), ...policies(powerdnsFleet, pdMgmt.name)];
    expect(new Set(found.map((f) => `${f.stack}/${f.policy.metadata.name}`))).toEqual(new Set([
      'cluster-dns/coredns', 'cluster-gateway/gateway', 'metallb/metallb-controller', 'powerdns/powerdns', 'tier-authority/authority',
    ]));
    for (const { policy, selected } of found) {
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
      const declared = new Set(selected.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => `${p.name}/${p.protocol ?? 'TCP'}`)));
      for (const rule of policy.spec.ingress) {
        for (const p of rule.ports) if (typeof p.port === 'string') expect(declared, `${policy.metadata.name}: ${p.port}`).toContain(`${p.port}/${p.protocol}`);
      }
    }
  });

  it('opens DNS to everyone and metrics only to the monitoring namespace (default monitoring, or monitoring.namespace)', () => {
    const rules = (f: typeof powerdnsFleet) => Object.fromEntries(policies(f, pdY.name).map(({ policy }) => [policy.metadata.name, policy.spec.ingress]));
    const byDefault = rules(powerdnsFleet);
    const open = (r: any[]) => r.filter((x) => !x.from).flatMap((x) => x.ports.map((p: any) => `${p.port}/${p.protocol}`));
    const scraped = (r: any[]) => r.filter((x) => x.from).map((x) => ({ ports: x.ports.map((p: any) => p.port), ns: x.from[0].namespaceSelector.matchExpressions[0].values }));
    expect(open(byDefault.coredns)).toEqual(['dns/UDP', 'dns-tcp/TCP', '53/UDP', '53/TCP']);
    expect(open(byDefault.gateway)).toEqual(['dns/UDP', 'dns-tcp/TCP']);
    expect(open(byDefault.powerdns)).toEqual(['dns/UDP', 'dns-tcp/TCP']); // its API stays on 127.0.0.1: no port for it
    expect(open(byDefault['metallb-controller'])).toEqual(['webhook/TCP']);
    expect(scraped(byDefault.coredns)).toEqual([{ ports: ['metrics'], ns: ['monitoring'] }]);
    expect(scraped(byDefault.powerdns)).toEqual([{ ports: ['edns-metrics'], ns: ['monitoring'] }]);
    const obs = rules(withY({ monitoring: { namespace: 'observability' } }));
    for (const r of Object.values(obs)) expect(scraped(r as any[])[0].ns).toEqual(['observability']);
  });

  it('renders none with networkPolicies: false', () => {
    const off = withY({ networkPolicies: false });
    expect([...synthesized(off, off.cluster(pdY.name)).values()].flat().filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  });

  it('refuses a monitoring namespace that is not a name, and a networkPolicies that is not a boolean', () => {
    expect(problems(withY({ monitoring: { namespace: 'Prom_NS' } })).join('\n')).toMatch(new RegExp(`${pdY.name} monitoring\\.namespace: "Prom_NS" is not a namespace name.*Fix: use the name of the namespace Prometheus runs in`));
    expect(problems(withY({ networkPolicies: 'yes' })).join('\n')).toMatch(new RegExp(`${pdY.name} networkPolicies: is "yes", not true or false`));
    expect(problems(withY({ monitoring: { namespace: 'observability' }, networkPolicies: true }))).toEqual([]);
  });

  it('IngressPolicy says what to fix', () => {
    const chart = new Chart(new App(), 'c');
    const workload = new ApiObject(chart, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { selector: { matchLabels: { app: 'd' } } } });
    const bare = new ApiObject(chart, 'e', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'e' } });
    expect(() => new IngressPolicy(chart, 'p0', { workload })).toThrow(/refuse every connection: give openPorts or namespacePorts/);
    expect(() => new IngressPolicy(chart, 'p1', { workload, openPorts: [{ port: 'DNS_port_far_too_long' }] })).toThrow(/neither a port number.*nor a container port name/);
    expect(() => new IngressPolicy(chart, 'p2', { workload, openPorts: [{ port: 0 }] })).toThrow(/neither a port number/);
    expect(() => new IngressPolicy(chart, 'p3', { workload, namespacePorts: [{ ports: [{ port: 9153 }], namespaces: [] }] })).toThrow(/name no namespace/);
    expect(() => new IngressPolicy(chart, 'p4', { workload, namespacePorts: [{ ports: [{ port: 9153 }], namespaces: ['Mon'] }] })).toThrow(/"Mon" is not a DNS label/);
    expect(() => new IngressPolicy(chart, 'p5', { workload: bare, openPorts: [{ port: 53 }] })).toThrow(/no namespace or no spec.selector.matchLabels. Fix: pass a namespaced Deployment or DaemonSet/);
  });
});
