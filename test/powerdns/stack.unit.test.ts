import { resolve } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PowerDns } from '../../constructs/powerdns/powerdns';
import { Cluster } from '../../fleet/cluster';
import { defaultStacks, PowerDnsStack } from '../../stacks/index';
import { powerDnsPropsOf } from '../../stacks/powerdns';
import { fleet as exampleFleet } from '../../clusters/index';
import type { KubeObject } from '../../synth/kube-object';
import { loadPowerDnsManifests, powerDnsManifests } from '../../lab/dns/powerdns-manifests';
import { pdY } from './test-fleet';

/** The committed output for the example fleet's PowerDNS cluster. */
const prodY = exampleFleet.cluster('prod-y');
const shipped = loadPowerDnsManifests(resolve(__dirname, '../../charts-out', prodY.name, 'powerdns'));
const synth = (cluster: Cluster, props: Partial<ConstructorParameters<typeof PowerDns>[2]> = {}) => {
  const chart = new Chart(Testing.app(), 'powerdns', { disableResourceNameHashes: true });
  new PowerDns(chart, 'powerdns', { ...powerDnsPropsOf(cluster), ...props });
  return Testing.synth(chart) as KubeObject[];
};
const conf = (text: string) => Object.fromEntries(text.split('\n').filter((l) => l.includes('=') && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('the powerdns stack', () => {
  it('goes to exactly the clusters with dns.powerdnsIP', () => {
    for (const c of exampleFleet.clusters) expect(defaultStacks(c).includes(PowerDnsStack), c.name).toBe(c.dns.powerdnsIP !== undefined);
    expect(PowerDnsStack.syncWave).toBe(50);
  });

  it('a LoadBalancer Service on the fixed PowerDNS IP maps 53 UDP and TCP to the unprivileged port', () => {
    const svc = shipped.objects.find((o) => o.kind === 'Service')!;
    expect(svc.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': prodY.dns.powerdnsIP });
    const spec = svc.spec as { type: string; ports: { port: number; protocol: string; targetPort: string }[] };
    expect(spec.type).toBe('LoadBalancer');
    const byName = Object.fromEntries((shipped.pdns.ports ?? []).map((p) => [p.name, p]));
    expect(spec.ports.map((p) => [p.port, p.protocol, byName[p.targetPort].containerPort, byName[p.targetPort].protocol])).toEqual([[53, 'UDP', 5353, 'UDP'], [53, 'TCP', 5353, 'TCP']]);
    expect(conf(shipped.config['pdns.conf'])['local-port']).toBe('5353');
  });

  it('no container adds a capability or runs as root; the API token reaches only external-dns', () => {
    for (const c of [shipped.init, shipped.pdns, shipped.externalDns]) {
      expect(c.securityContext?.capabilities, c.name).toEqual({ drop: ['ALL'] });
      expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
      expect(c.securityContext?.readOnlyRootFilesystem, c.name).toBe(true);
    }
    const pod = (shipped.deployment.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    const tokenMounts = [shipped.init, shipped.pdns, shipped.externalDns].filter((c) => c.volumeMounts?.some((m) => m.mountPath.startsWith('/var/run/secrets/kubernetes.io')));
    expect(tokenMounts.map((c) => c.name)).toEqual(['external-dns']);
  });

  it('the API listens on 127.0.0.1 only; its key comes from a Secret referenced by name, never rendered', () => {
    const c = conf(shipped.config['pdns.conf']);
    expect([c['webserver-address'], c['webserver-allow-from'], c.api]).toEqual(['127.0.0.1', '127.0.0.1', 'yes']);
    expect(c['api-key']).toBeUndefined();
    expect(shipped.objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const refs = [shipped.init, shipped.externalDns].flatMap((x) => (x.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.valueFrom!.secretKeyRef));
    expect(refs).toEqual([{ name: 'powerdns-api-key', key: 'api-key' }, { name: 'powerdns-api-key', key: 'api-key' }]);
    expect((shipped.externalDns.args ?? []).some((a) => a.includes('api-key'))).toBe(false);
  });

  it('external-dns: explicit policy, TXT registry owned by this cluster, one domain filter per zone it serves', () => {
    const args = shipped.externalDns.args ?? [];
    expect(args).toEqual(expect.arrayContaining(['--provider=pdns', '--pdns-server=http://127.0.0.1:8081', '--policy=sync', '--registry=txt', `--txt-owner-id=${prodY.name}`,
      '--source=service', '--source=ingress', '--service-type-filter=LoadBalancer', '--events', '--interval=30s']));
    const filters = args.filter((a) => a.startsWith('--domain-filter=')).map((a) => a.split('=')[1]).sort();
    expect(filters).toEqual(Object.keys(shipped.zones).map((k) => k.replace(/\.zone$/, '')).sort());
    expect(filters).toEqual((prodY.dns.zones ?? []).map((z) => z.name).sort());
  });

  it('every cluster that runs PowerDNS has its own TXT owner id', () => {
    const owners = exampleFleet.clusters.filter((c) => c.dns.powerdnsIP).map((c) => c.name);
    expect(new Set(owners).size).toBe(owners.length);
  });

  it('the ClusterRole lists only what external-dns reads for its sources', () => {
    const rules = (objects: KubeObject[]) => objects.find((o) => o.kind === 'ClusterRole')!.rules;
    expect(rules(shipped.objects)).toEqual([
      { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['list', 'watch'] },
    ]);
    const withCrd = synth(pdY, { externalDnsSources: ['service', 'crd'] });
    expect(rules(withCrd)).toEqual([
      { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
      { apiGroups: ['externaldns.k8s.io'], resources: ['dnsendpoints'], verbs: ['list', 'watch'] },
      { apiGroups: ['externaldns.k8s.io'], resources: ['dnsendpoints/status'], verbs: ['update'] },
    ]);
    expect(withCrd.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name)).toEqual(['dnsendpoints.externaldns.k8s.io']);
    expect(shipped.objects.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
  });

  it('a change of the zones rolls the pods (zones are read only at start)', () => {
    const hash = (objects: KubeObject[]) => (powerDnsManifests(objects).deployment.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['fleetnet.io/config-hash'];
    const zones = pdY.dns.zones!;
    const changed = new Cluster({ ...pdY, dns: { ...pdY.dns, zones: [{ ...zones[0], soa: { serial: 2026010102 } }, zones[1]] } } as ConstructorParameters<typeof Cluster>[0]);
    expect(hash(synth(pdY))).toBe(hash(synth(pdY)));
    expect(hash(synth(changed))).not.toBe(hash(synth(pdY)));
  });

  it('refuses a cluster without a PowerDNS IP or zones, saying what to do', () => {
    const noIp = new Cluster({ ...pdY, dns: { ...pdY.dns, powerdnsIP: undefined } } as ConstructorParameters<typeof Cluster>[0]);
    expect(() => synth(noIp)).toThrow(/needs dns\.powerdnsIP\. Fix:/);
    const noZones = new Cluster({ ...pdY, dns: { ...pdY.dns, zones: [] } } as ConstructorParameters<typeof Cluster>[0]);
    expect(() => synth(noZones)).toThrow(/no zone to serve\. Fix:/);
  });

  it('ships the init script and pdns.conf it reads its paths from', () => {
    expect(shipped.init.command).toEqual(['/bin/sh', `${shipped.init.volumeMounts!.find((m) => m.name === shipped.configVolume)!.mountPath}/load-zones.sh`]);
    const script = shipped.config['load-zones.sh'];
    expect(script).toContain('SOA-EDIT-API DEFAULT');
    expect(script).toContain('check-zone');
  });
});
