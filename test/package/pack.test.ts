import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fleetnet-consumer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_loglevel: 'error' } });

/**
 * A platform repo's cdk8s app in plain CommonJS (no tsx, no fleet): every L2 construct with plain
 * props, each component in its own chart, as someone using one piece would write it. It prints the
 * names of the exported construct classes that no construct of the app is an instance of.
 */
const CONSUMER = `
const { App, Chart } = require('cdk8s');
const { Construct } = require('constructs');
const f = require('fleetnet');

const app = new App({ outdir: 'dist' });
const chart = (id) => new Chart(app, id, { disableResourceNameHashes: true });

const access = chart('access');
new f.PlatformNamespace(access, 'ns', { name: 'team-dns', podSecurity: 'baseline' });
new f.RoleGrant(access, 'grant', { name: 'reader', namespace: 'team-dns', labels: { 'app.kubernetes.io/part-of': 'team-dns' }, rules: [{ apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] }], serviceAccount: { name: 'reader', namespace: 'team-dns' } });

const argocd = chart('argocd');
new f.AppProject(argocd, 'project', { name: 'platform', sourceRepos: ['https://git.example/platform.git'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }], clusterResources: [{ group: '', kind: 'Namespace' }] });
new f.Application(argocd, 'app', { name: 'dns', repoURL: 'https://git.example/platform.git', targetRevision: 'main', path: 'dist/dns', project: 'platform' });

const lb = chart('metallb');
const metallb = new f.MetalLb(lb, 'metallb', {});
new f.IngressPolicy(lb, 'policy', { workload: metallb.controller.deployment, openPorts: [{ port: 'webhook' }], namespacePorts: [{ ports: [{ port: 'metrics' }], namespaces: ['monitoring'] }] });
const peer = new f.MetalLbBgpPeer(lb, 'router', { name: 'router', peerAddress: '192.0.2.1', peerASN: 64500, myASN: 64501 });
new f.MetalLbAddressPool(lb, 'pool', { name: 'default', addresses: ['192.0.2.64/26'], mode: 'bgp', peers: [peer] });

const cni = chart('cni');
new f.CniInstall(cni, 'cni', { namespace: 'cni-system', nodes: f.clusterCniNetworks({ nodes: [{ name: 'node-1', subnet: '10.244.0.0/24' }, { name: 'node-2', subnet: '10.244.1.0/24' }] }) });

const mizar = chart('mizar');
new f.MizarNetwork(mizar, 'mizar', { vpcCidr: '20.0.0.0/8' });

// The DNS of a tier: a gateway built here, one run by someone else known by its address, the
// authority fanning out to both; the cluster DNS with the tier zone as a stub zone.
const pools = [{ name: 'default', addresses: ['198.51.100.0/26'] }];
const zone = 'prod.platform.example';
const dns = chart('dns');
const own = new f.ClusterGateway(dns, 'gateway', { zone, ip: '198.51.100.2', pools });
const authority = new f.TierAuthority(dns, 'authority', { zone, ip: '198.51.100.53', pools, gateways: [own, f.ClusterGateway.fromAddress('198.51.100.130')] });
new f.CoreDnsServiceMonitor(dns, 'monitor', { coredns: authority.coredns });
new f.ClusterDns(dns, 'cluster-dns', { serviceIP: '10.96.0.10', upstreams: ['192.0.2.53'], stubZones: [{ zone, servers: ['198.51.100.53'] }] });

const pdns = chart('powerdns');
const powerdns = new f.PowerDns(pdns, 'powerdns', { ip: '198.51.100.54', pools, ownerId: 'platform', zones: [{ name: 'corp.example', soa: { serial: 1, hostmaster: 'dns@corp.example' }, records: [{ name: 'www', type: 'A', address: '192.0.2.80' }] }], externalDnsSources: ['service', 'crd'] });
new f.ExternalDnsPodMonitor(pdns, 'monitor', { powerdns });
// A record written as an object, read by external-dns's crd source (the typed, generated DNSEndpoint).
new f.DnsEndpoint(pdns, 'record', { metadata: { name: 'www', namespace: 'powerdns' }, spec: { endpoints: [{ dnsName: 'www.corp.example', recordType: 'A', targets: ['192.0.2.80'], recordTtl: 300 }] } });

const built = app.node.findAll();
const unused = Object.entries(f)
  .filter(([name, value]) => typeof value === 'function' && value.prototype instanceof Construct && !name.endsWith('Stack') && name !== 'FleetStack')
  .filter(([, cls]) => !built.some((c) => c instanceof cls))
  .map(([name]) => name);
process.stdout.write(JSON.stringify({ unused, yaml: app.charts.map((c) => c.toJson()) }));
`;

/** Types a platform repo names in its own code: each must be importable from the package root. */
const TYPES = `
import type { AddressPoolProps, ClusterDnsProps, ClusterGatewayProps, DnsNamespaceProps, FleetStackProps, IGateway, IpRange,
  MetalLbAddressPoolProps, PowerDnsProps, PropIssue, ResourceSpec, StackClass, SyncSettings, TierAuthorityProps, ZoneSource } from 'fleetnet';
import { ClusterGateway, validateTierAuthorityProps } from 'fleetnet';
const resources: ResourceSpec = { cpu: '50m', memory: '64Mi' };
const range: IpRange | undefined = undefined;
const gateway: IGateway = ClusterGateway.fromAddress('198.51.100.2');
const issues: PropIssue[] = validateTierAuthorityProps({ zone: 'prod.platform.example', ip: '198.51.100.53', gateways: [gateway] });
export type All = [AddressPoolProps, ClusterDnsProps, ClusterGatewayProps, DnsNamespaceProps, FleetStackProps, MetalLbAddressPoolProps,
  PowerDnsProps, StackClass, SyncSettings, TierAuthorityProps, ZoneSource];
export { resources, range, issues };
`;

describe('the packed library', () => {
  it('ships the library, its types and LICENSE, and no example fleet', () => {
    const [pack] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root)) as { files: { path: string }[] }[];
    const files = pack.files.map((f) => f.path);
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => /^lib\/(clusters|test|bench|lab|tools)\//.test(f) || f === 'lib/synth/main.js')).toEqual([]);
  });

  it('installs into a consumer project; every exported construct synthesizes with plain props and no fleet; every public type imports', () => {
    npm(['pack', '--pack-destination', work, '--silent'], root);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const consumer = join(work, 'consumer');
    execFileSync('mkdir', ['-p', consumer]);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'platform-repo', private: true }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball!)], consumer);

    const lib = require(join(consumer, 'node_modules/fleetnet')) as Record<string, unknown>;
    expect(lib.exampleFleet).toBeUndefined();

    writeFileSync(join(consumer, 'main.js'), CONSUMER);
    const out = JSON.parse(execFileSync(process.execPath, ['main.js'], { cwd: consumer, encoding: 'utf8', timeout: 60_000 })) as { unused: string[]; yaml: { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; data?: Record<string, string> }[][] };
    expect(out.unused).toEqual([]);
    const objects = out.yaml.flat();
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
    expect((find('DNSEndpoint', 'www') as { spec?: unknown } | undefined)?.spec).toEqual({ endpoints: [{ dnsName: 'www.corp.example', recordType: 'A', targets: ['192.0.2.80'], recordTTL: 300 }] });
    expect(find('Service', 'gateway')?.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '198.51.100.2' });
    expect(find('Service', 'authority')?.metadata.annotations).toEqual({ 'metallb.io/loadBalancerIPs': '198.51.100.53' });
    const authorityCorefile = Object.values(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === 'dns-authority')?.data ?? {}).join('\n');
    expect(authorityCorefile).toContain('198.51.100.2');
    expect(authorityCorefile).toContain('198.51.100.130');
    // The cluster DNS runs in kube-system and creates no Namespace there.
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort()).toEqual(['dns-authority', 'dns-gateway', 'metallb-system', 'mizar-system', 'powerdns', 'team-dns']);

    writeFileSync(join(consumer, 'types.ts'), TYPES);
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    try {
      execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--skipLibCheck', 'types.ts'], { cwd: consumer, encoding: 'utf8', timeout: 120_000 });
    } catch (error) {
      throw new Error(`the consumer's types.ts does not type-check:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
  }, 600_000);

  it('a construct refuses props it cannot render, naming the prop and the fix (no "forward . undefined")', () => {
    const f = require(join(work, 'consumer/node_modules/fleetnet')) as typeof import('../../index');
    const { App, Chart } = require(join(work, 'consumer/node_modules/cdk8s')) as typeof import('cdk8s');
    const chart = new Chart(new App(), 'c');
    expect(() => new f.TierAuthority(chart, 'a', { zone: 'prod.platform.example', ip: undefined as unknown as string, gateways: [f.ClusterGateway.fromAddress('198.51.100.2')] }))
      .toThrow('TierAuthority "c/a", ip: is missing. Fix: give the authority a fixed address inside one of the MetalLB pools');
    expect(() => new f.TierAuthority(chart, 'b', { zone: 'prod.platform.example', ip: '198.51.100.53', gateways: [] })).toThrow('gateways: is empty');
    expect(() => new f.ClusterGateway(chart, 'g', { zone: 'prod.platform.example', ip: '198.51.100.99', pools: [{ name: 'default', addresses: ['198.51.100.0/26'] }] }))
      .toThrow('LoadBalancer IP 198.51.100.99 is outside every MetalLB pool');
    expect(() => new f.ClusterDns(chart, 'd', { serviceIP: '10.96.0.10', upstreams: ['192.0.2.53'], stubZones: [{ zone: 'prod.platform.example', servers: [undefined as unknown as string] }] }))
      .toThrow('stubZones[0].servers[0]');
  });
});
