import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleet } from '../../clusters';
import { Cluster } from '../../fleet/cluster';
import { fleet as defineFleet } from '../../fleet/fleet';
import { contains, parseCidr } from '../../constructs/common/ip';
import { formatMappings, LAB_RANGE, LabAddressError, labFleet } from '../../lab/address-map';
import { synthesizeLabFleet } from '../../lab/lab';

const REPO = 'file:///var/empty/lab/repo.git';
const labRange = parseCidr(LAB_RANGE)!;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the lab copy of the fleet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetnet-labmap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lab = synthesizeLabFleet(fleet, dir, REPO);

  it('maps every address field of every cluster into 198.18.0.0/15 and says so in the table', () => {
    for (const m of lab.mappings.filter((x) => x.field !== 'git.repoURL')) {
      const address = m.lab.replace(/^https:\/\//, '').replace(/:\d+$/, '').split(/[/-]/)[0];
      expect(contains(labRange, address), `${m.cluster} ${m.field} -> ${m.lab}`).toBe(true);
    }
    const fields = new Set(lab.mappings.filter((m) => m.cluster === 'test-x').map((m) => m.field));
    for (const f of ['apiServer', 'dns.gatewayIP', 'dns.serviceIP', 'dns.upstreams[0]', 'podNetwork.podCidr', 'podNetwork.serviceCidr', 'loadBalancer.pools[0].addresses[0]']) {
      expect(fields).toContain(f);
    }
    expect(formatMappings(lab.mappings, ['test-x']).join('\n')).toContain('203.0.113.66');
  });

  it('keeps host offsets, so the table reads like the fleet (203.0.113.66 in 203.0.113.64/27 -> 198.18.5.66)', () => {
    const gw = lab.mappings.find((m) => m.cluster === 'test-x' && m.field === 'dns.gatewayIP')!;
    expect(gw).toMatchObject({ fleet: '203.0.113.66', lab: '198.18.5.66' });
    const svc = lab.mappings.find((m) => m.cluster === 'test-x' && m.field === 'dns.serviceIP')!;
    expect(svc.lab).toBe('198.19.80.10');
  });

  it('synthesizes with synth/ into charts-out naming no fleet address at all, and the local Git repository', () => {
    const fleetAddresses = /\b(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+|\b10\.(96|244)\.\d+\.\d+|172\.20\.\d+\.\d+/;
    const out = join(dir, 'charts-out');
    const all = files(out).filter((f) => f.endsWith('.yaml'));
    expect(all.length).toBeGreaterThan(100);
    const offenders = all.filter((f) => fleetAddresses.test(readFileSync(f, 'utf8').replace(/static\.platform\.example[\s\S]*/m, '')));
    // prod-y's static zone holds A records (answers, not targets); nothing else may name a fleet address.
    expect(offenders.filter((f) => !f.includes('/prod-y/powerdns/'))).toEqual([]);
    expect(readFileSync(join(out, 'test-x/argocd/application.fleetnet-root.yaml'), 'utf8')).toContain(`repoURL: ${REPO}`);
  });

  it('runs a Mizar cluster with the CNI install on the lab pod range instead', () => {
    expect(fleet.cluster('prod-x').podNetwork.mizar).toBeDefined();
    const prodX = lab.fleet.cluster('prod-x');
    expect(prodX.podNetwork.mizar).toBeUndefined();
    expect(prodX.podNetwork.cni?.nodes).toEqual([{ name: 'prod-x', subnet: prodX.podNetwork.podCidr }]);
    expect(readdirSync(join(dir, 'charts-out/prod-x'))).toContain('cni');
    expect(readdirSync(join(dir, 'charts-out/prod-x'))).not.toContain('mizar');
  });

  it("gives the lab's one node, under the name its kubelet registers, the first CNI node's subnet mapped into the lab pod range", () => {
    const source = fleet.cluster('test-x').podNetwork.cni!.nodes;
    expect(source.length).toBeGreaterThan(1);
    const slot = lab.slots.find((s) => s.cluster === 'test-x')!;
    expect(slot.nodeName).toBe('test-x');
    expect(lab.fleet.cluster('test-x').podNetwork.cni!.nodes).toEqual([{ name: slot.nodeName, subnet: '198.19.88.0/24' }]);
    const configMap = readFileSync(join(dir, 'charts-out/test-x/cni/configmap.cni-install.yaml'), 'utf8');
    expect(configMap).toMatch(/^ {2}test-x: \|/m);
    expect(configMap).toContain('"subnet": "198.19.88.0/24"');
    expect(configMap).not.toContain(source[1].name);
  });

  it('keeps the settings that carry no address: monitoring and networkPolicies', () => {
    const c = fleet.cluster('test-x');
    const changed = defineFleet({ ...fleet.props, clusters: fleet.clusters.map((x) => (x === c ? new Cluster({ ...c.props, monitoring: { namespace: 'observability' }, networkPolicies: false }) : x)) });
    const copy = labFleet(changed, { repoURL: 'file:///tmp/lab.git' }).fleet.cluster('test-x');
    expect(copy.monitoring).toEqual({ namespace: 'observability' });
    expect(copy.networkPolicies).toBe(false);
  });

  it('refuses, naming the cluster, field and fix, an address the plan cannot place', () => {
    const big = new Cluster({ ...fleet.cluster('test-x'), name: 'test-x', dns: { ...fleet.cluster('test-x').dns, serviceIP: '10.96.200.10' } } as never);
    const f = defineFleet({ ...fleet.props, clusters: fleet.clusters.map((c) => (c.name === 'test-x' ? big : c)) });
    expect(() => labFleet(f, { repoURL: REPO })).toThrow(LabAddressError);
    expect(() => labFleet(f, { repoURL: REPO })).toThrow(/cluster "test-x", dns\.serviceIP: 10\.96\.200\.10 .* past the lab's 198\.19\.80\.0\/21\. Use an address within the first 2048/);
  });
});
