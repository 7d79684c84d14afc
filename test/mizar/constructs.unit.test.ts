import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { syncWaveOf } from '../../constructs/common/workload';
import { MizarNetwork } from '../../constructs/mizar/mizar';
import { MIZAR_SYNC_WAVES } from '../../constructs/mizar/names';
import { MIZAR_KINDS } from '../../constructs/mizar/crds';
import { placeInSubnet } from '../../constructs/mizar/placement';
import { Subnet } from '../../constructs/mizar/subnet';
import { Vpc } from '../../constructs/mizar/vpc';
import { fleet } from '../../clusters/index';
import { defaultStacks } from '../../stacks/index';
import { MizarStack } from '../../stacks/mizar';

type Obj = { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [k: string]: any };

function synth(build: (chart: Chart) => void): Obj[] {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { disableResourceNameHashes: true });
  build(chart);
  return Testing.synth(chart) as Obj[];
}
const find = (objs: Obj[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name)!;

describe('MizarNetwork construct', () => {
  const objs = synth((c) => new MizarNetwork(c, 'mizar', { vpcCidr: '172.20.0.0/16', subnetCidr: '172.20.0.0/18', vni: 7 }));

  it('renders the six v1 CRDs with structural schemas and no status subresource', () => {
    const crds = objs.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => c.metadata.name).sort()).toEqual(MIZAR_KINDS.map((k) => `${k.plural}.mizar.com`).sort());
    for (const crd of crds) {
      expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
      const version = crd.spec.versions[0];
      expect(version.name).toBe('v1');
      expect(version.subresources).toBeUndefined();
      expect(version.schema.openAPIV3Schema.properties.spec.type).toBe('object');
    }
  });

  it('creates vpc0 and net0 in default at status Init with the given ranges and VNI', () => {
    expect(find(objs, 'Vpc', 'vpc0')).toMatchObject({ metadata: { namespace: 'default' }, spec: { ip: '172.20.0.0', prefix: '16', vni: '7', dividers: 1, status: 'Init' } });
    expect(find(objs, 'Subnet', 'net0')).toMatchObject({ metadata: { namespace: 'default' }, spec: { ip: '172.20.0.0', prefix: '18', vni: '7', vpc: 'vpc0', bouncers: 1, status: 'Init' } });
    const env = find(objs, 'Deployment', 'mizar-operator').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CLUSTER_VPC_VNI', value: '7' });
  });

  it('orders CRDs, then vpc0/net0, then the daemon, then the operator', () => {
    const crd = Math.max(...objs.filter((o) => o.kind === 'CustomResourceDefinition').map(syncWaveOf));
    const defaults = [find(objs, 'Vpc', 'vpc0'), find(objs, 'Subnet', 'net0')].map(syncWaveOf);
    const daemon = syncWaveOf(find(objs, 'DaemonSet', 'mizar-daemon'));
    const operator = syncWaveOf(find(objs, 'Deployment', 'mizar-operator'));
    expect(crd).toBeLessThan(Math.min(...defaults));
    expect(Math.max(...defaults)).toBeLessThan(daemon);
    expect(daemon).toBeLessThan(operator);
    expect(operator).toBeLessThan(MIZAR_SYNC_WAVES.networks);
  });

  it('gives daemon and operator their own ServiceAccounts; the daemon has no token and no role', () => {
    const ds = find(objs, 'DaemonSet', 'mizar-daemon').spec.template.spec;
    const op = find(objs, 'Deployment', 'mizar-operator').spec.template.spec;
    expect(ds.serviceAccountName).toBe('mizar-daemon');
    expect(ds.automountServiceAccountToken).toBe(false);
    expect(op.serviceAccountName).toBe('mizar-operator');
    const subjects = objs.filter((o) => o.kind.endsWith('Binding')).flatMap((b) => b.subjects.map((s: { name: string }) => s.name));
    expect(new Set(subjects)).toEqual(new Set(['mizar-operator']));
    expect(op.containers[0].securityContext.privileged).toBeUndefined();
    expect(op.containers[0].securityContext.capabilities.drop).toEqual(['ALL']);
  });

  it('later VPCs and subnets come after the operator', () => {
    const later = synth((c) => {
      const m = new MizarNetwork(c, 'mizar', { vpcCidr: '172.20.0.0/16', subnetCidr: '172.20.0.0/18' });
      m.addSubnet('net1', { name: 'net1', vpc: m.defaultVpc, cidr: '172.20.64.0/18' });
    });
    expect(syncWaveOf(find(later, 'Subnet', 'net1'))).toBe(MIZAR_SYNC_WAVES.networks);
  });
});

describe('Vpc and Subnet validation', () => {
  const chart = () => new Chart(new App(), 'c');

  it('refuses a subnet outside its VPC', () => {
    const c = chart();
    const vpc = new Vpc(c, 'v', { name: 'vpc1', cidr: '10.1.0.0/16' });
    expect(() => new Subnet(c, 's', { name: 'net1', vpc, cidr: '10.2.0.0/24' })).toThrow('Subnet "net1" (10.2.0.0/24) is not inside its Vpc "vpc1" (10.1.0.0/16)');
  });

  it('refuses overlapping subnets of one VPC', () => {
    const c = chart();
    const vpc = new Vpc(c, 'v', { name: 'vpc1', cidr: '10.1.0.0/16' });
    new Subnet(c, 'a', { name: 'net-a', vpc, cidr: '10.1.0.0/20' });
    expect(() => new Subnet(c, 'b', { name: 'net-b', vpc, cidr: '10.1.8.0/24' })).toThrow('overlaps Subnet "net-a" (10.1.0.0/20)');
  });

  it('refuses a VNI outside 24 bits, IPv6 and host bits', () => {
    expect(() => new Vpc(chart(), 'v', { name: 'vpc1', cidr: '10.1.0.0/16', vni: 2 ** 24 })).toThrow('vni: 16777216 is not a Geneve VNI (an integer 1-16777215)');
    expect(() => new Vpc(chart(), 'v', { name: 'vpc1', cidr: '10.1.0.0/16', vni: 0 })).toThrow('is not a Geneve VNI');
    expect(() => new Vpc(chart(), 'v', { name: 'vpc1', cidr: 'fd00::/64' })).toThrow('Mizar networks are IPv4');
    expect(() => new Vpc(chart(), 'v', { name: 'vpc1', cidr: '10.1.0.1/16' })).toThrow('without host bits');
  });
});

describe('placeInSubnet', () => {
  it('adds the vpc and subnet annotations and keeps the others', () => {
    const c = new Chart(new App(), 'c');
    const vpc = new Vpc(c, 'v', { name: 'tenant-a', cidr: '10.1.0.0/16' });
    const subnet = new Subnet(c, 's', { name: 'tenant-a-web', vpc, cidr: '10.1.1.0/24' });
    const template = { metadata: { labels: { app: 'web' }, annotations: { keep: 'me' } }, spec: { containers: [] } };
    expect(placeInSubnet(template, subnet)).toEqual({
      metadata: { labels: { app: 'web' }, annotations: { keep: 'me', 'mizar.com/vpc': 'tenant-a', 'mizar.com/subnet': 'tenant-a-web' } },
      spec: { containers: [] },
    });
    expect(template.metadata.annotations).toEqual({ keep: 'me' });
  });
});

describe('MizarStack in the fleet', () => {
  it('goes to exactly the clusters with podNetwork.mizar, with their ranges', () => {
    for (const cluster of fleet.clusters) {
      expect(defaultStacks(cluster).includes(MizarStack), cluster.name).toBe(cluster.podNetwork.mizar !== undefined);
    }
    const prodX = fleet.clusters.find((c) => c.name === 'prod-x')!;
    const app = Testing.app();
    const objs = Testing.synth(new MizarStack(app, { cluster: prodX, fleet })) as Obj[];
    const [ip, prefix] = prodX.podNetwork.mizar!.vpcCidr.split('/');
    expect(find(objs, 'Vpc', 'vpc0').spec).toMatchObject({ ip, prefix });
  });
});
