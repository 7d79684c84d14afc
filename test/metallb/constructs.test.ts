import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { fleet as exampleFleet } from '../../clusters/index';
import type { Cluster } from '../../fleet/cluster';
import type { Fleet } from '../../fleet/fleet';
import { validateFleet } from '../../fleet/validate';
import {
  fixedLoadBalancerIp, LOAD_BALANCER_IPS_ANNOTATION, METALLB_BGPPEER_CRD, METALLB_KINDS, METALLB_SYNC_WAVES, METALLB_VALIDATIONS,
  METALLB_WEBHOOK_CONFIGURATION, MetalLbAddressPool, MetalLbBgpPeer, validationPath,
} from '../../constructs/metallb/index';
import { syncWaveOf } from '../../constructs/common/workload';
import { fixedServiceIps } from '../../fleet/cluster';
import { poolsWithReservedFixedIps } from '../../constructs/metallb/fixed-ip-pools';
import { MetalLbStack } from '../../stacks/metallb';
import { clusterOf, variant } from '../fleets/variant';
import { lbX, metallbTestFleet } from './test-fleet';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: Record<string, any>;
  [key: string]: any;
}

function synth(fleet: Fleet, cluster: Cluster): { stack: MetalLbStack; objects: Obj[] } {
  const stack = new MetalLbStack(Testing.app(), { cluster, fleet });
  return { stack, objects: Testing.synth(stack) as Obj[] };
}
const ofKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);

const bgpFleet = variant((f) => {
  const c = clusterOf(f, 'test-x');
  c.loadBalancer.pools[0].mode = 'bgp';
  c.loadBalancer.pools.push({ name: 'local', addresses: ['203.0.113.96/28'] });
  c.loadBalancer.bgpPeers = [
    { name: 'tor-a', peerAddress: '192.0.2.1', peerASN: 64512, myASN: 64513 },
    { name: 'tor-b', peerAddress: '192.0.2.2', peerASN: 64512, myASN: 64513 },
  ];
});

describe('MetalLB pools and advertisements', () => {
  it.each(exampleFleet.clusters.map((c) => [c.name, c] as const))('%s: every pool of the fleet model (fixed DNS addresses split off) renders with an L2Advertisement of exactly that pool', (_, cluster) => {
    const { objects } = synth(exampleFleet, cluster);
    const pools = ofKind(objects, 'IPAddressPool');
    const expected = poolsWithReservedFixedIps(cluster, fixedServiceIps(cluster));
    expect(pools.map((p) => p.metadata.name)).toEqual(expected.map((p) => p.name));
    for (const [i, pool] of pools.entries()) {
      const model = expected[i];
      expect(pool.metadata.namespace).toBe('metallb-system');
      expect(pool.spec).toEqual({ addresses: model.addresses, autoAssign: model.autoAssign ?? true, avoidBuggyIPs: false });
      const ads = objects.filter((o) => /Advertisement$/.test(o.kind) && o.spec?.ipAddressPools?.includes(pool.metadata.name));
      expect(ads.map((a) => [a.kind, a.spec!.ipAddressPools]), pool.metadata.name).toEqual([['L2Advertisement', [pool.metadata.name]]]);
    }
    expect(ofKind(objects, 'BGPAdvertisement')).toEqual([]);
    expect(ofKind(objects, 'BGPPeer')).toEqual([]);
  });

  it("mode 'bgp': a BGPAdvertisement for that pool and one v1beta2 BGPPeer per router; L2 pools keep their L2Advertisement", () => {
    validateFleet(bgpFleet);
    const { objects } = synth(bgpFleet, bgpFleet.cluster('test-x'));
    const bgpAds = ofKind(objects, 'BGPAdvertisement');
    // The gateway's fixed address goes to default-fixed, announced the same way.
    expect(bgpAds.map((a) => [a.metadata.name, a.spec])).toEqual([['default', { ipAddressPools: ['default'] }], ['default-fixed', { ipAddressPools: ['default-fixed'] }]]);
    expect(ofKind(objects, 'L2Advertisement').map((a) => [a.metadata.name, a.spec])).toEqual([['local', { ipAddressPools: ['local'] }]]);
    const peers = ofKind(objects, 'BGPPeer');
    expect(peers.map((p) => [p.apiVersion, p.metadata.name, p.metadata.namespace, p.spec])).toEqual([
      ['metallb.io/v1beta2', 'tor-a', 'metallb-system', { myASN: 64513, peerASN: 64512, peerAddress: '192.0.2.1' }],
      ['metallb.io/v1beta2', 'tor-b', 'metallb-system', { myASN: 64513, peerASN: 64512, peerAddress: '192.0.2.2' }],
    ]);
  });

  it('a BGP pool can be limited to some routers, by object', () => {
    const chart = new Chart(Testing.app(), 'c');
    const a = new MetalLbBgpPeer(chart, 'a', { name: 'tor-a', peerAddress: '192.0.2.1', peerASN: 64512, myASN: 64513 });
    const pool = new MetalLbAddressPool(chart, 'p', { name: 'p', addresses: ['192.0.2.128/28'], mode: 'bgp', peers: [a] });
    expect(pool.advertisement.toJson().spec).toEqual({ ipAddressPools: ['p'], peers: ['tor-a'] });
  });

  it('refuses what MetalLB would not announce, saying what to do', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new MetalLbAddressPool(chart, 'a', { name: 'a', addresses: [] })).toThrow('MetalLB pool "a", addresses: the pool has no addresses. Fix: list at least one CIDR or range');
    expect(() => new MetalLbAddressPool(chart, 'b', { name: 'b', addresses: ['10.0.0.1/24'] })).toThrow('"10.0.0.1/24" is not a CIDR or an address range');
    expect(() => new MetalLbAddressPool(chart, 'c', { name: 'c', addresses: ['10.0.0.0/24'], mode: 'bgp', interfaces: ['eth0'] })).toThrow("interfaces apply to mode 'l2' only");
    const peer = new MetalLbBgpPeer(chart, 'peer', { name: 'r', peerAddress: '192.0.2.1', peerASN: 1, myASN: 2 });
    expect(() => new MetalLbAddressPool(chart, 'd', { name: 'd', addresses: ['10.0.0.0/24'], peers: [peer] })).toThrow("peers apply to mode 'bgp' only");
    expect(() => new MetalLbBgpPeer(chart, 'e', { name: 'e', peerAddress: 'router-1', peerASN: 1, myASN: 2 })).toThrow('BGP peer "e", peerAddress: "router-1" is not an IP address');
    expect(() => new MetalLbBgpPeer(chart, 'f', { name: 'f', peerAddress: '192.0.2.1', peerASN: 0, myASN: 2 })).toThrow('BGP peer "f", peerASN: 0 is not an AS number. Fix: use an integer between 1 and 4294967294');
  });
});

describe('fixedLoadBalancerIp', () => {
  it('returns the current annotation for an address inside any pool, including one kept for fixed addresses', () => {
    expect(fixedLoadBalancerIp(lbX, '127.0.20.17')).toEqual({ 'metallb.io/loadBalancerIPs': '127.0.20.17' });
    expect(fixedLoadBalancerIp(lbX, '127.0.20.3')).toEqual({ [LOAD_BALANCER_IPS_ANNOTATION]: '127.0.20.3' });
  });

  it('names cluster, address and every pool when the address is outside all of them', () => {
    expect(() => fixedLoadBalancerIp(lbX, '127.0.20.40')).toThrow(
      'cluster "lb-x": LoadBalancer IP 127.0.20.40 is outside every MetalLB pool of the cluster ("default" 127.0.20.0/29; "fixed" 127.0.20.16-127.0.20.23; "single" 127.0.20.32/32), so MetalLB would refuse it. Fix: pick an address inside a pool, or add a pool that contains it',
    );
  });

  it('refuses what is not an address, and two addresses of one family', () => {
    expect(() => fixedLoadBalancerIp(lbX, 'gateway')).toThrow('cluster "lb-x": LoadBalancer IP "gateway" is not an IP address');
    expect(() => fixedLoadBalancerIp(lbX, ['127.0.20.1', '127.0.20.2'])).toThrow('one IPv4 and one IPv6 address for a dual-stack Service');
  });

  it('takes one address of each family for a dual-stack Service, both inside pools', () => {
    const dual = variant((f) => clusterOf(f, 'prod-x').loadBalancer.pools.push({ name: 'v6', addresses: ['2001:db8:10::/120'] })).cluster('prod-x');
    expect(fixedLoadBalancerIp(dual, ['198.51.100.70', '2001:db8:10::70'])).toEqual({ [LOAD_BALANCER_IPS_ANNOTATION]: '198.51.100.70,2001:db8:10::70' });
    expect(() => fixedLoadBalancerIp(dual, ['198.51.100.70', '2001:db8:99::1'])).toThrow('LoadBalancer IP 2001:db8:99::1 is outside every MetalLB pool');
  });
});

describe('the MetalLB install', () => {
  const { stack, objects } = synth(metallbTestFleet, lbX);

  it('orders CRDs and namespace, then controller, speaker and webhook, then the configuration', () => {
    const byWave = (w: number) => objects.filter((o) => syncWaveOf(o) === w).map((o) => o.kind);
    // The controller's NetworkPolicy comes with its namespace, before any Pod it protects.
    expect(new Set(byWave(METALLB_SYNC_WAVES.crds))).toEqual(new Set(['Namespace', 'CustomResourceDefinition', 'Secret', 'NetworkPolicy']));
    expect(new Set(byWave(METALLB_SYNC_WAVES.configuration))).toEqual(new Set(['IPAddressPool', 'L2Advertisement']));
    for (const kind of ['Deployment', 'DaemonSet', 'ValidatingWebhookConfiguration', 'Service', 'Role', 'ClusterRole', 'ServiceAccount']) {
      expect(byWave(METALLB_SYNC_WAVES.components), kind).toContain(kind);
    }
    expect(METALLB_SYNC_WAVES.crds).toBeLessThan(METALLB_SYNC_WAVES.components);
    expect(METALLB_SYNC_WAVES.components).toBeLessThan(METALLB_SYNC_WAVES.configuration);
  });

  it('the controller is ready only when its webhook listens, so pools wait for it', () => {
    const container = ofKind(objects, 'Deployment')[0].spec!.template.spec.containers[0];
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 'webhook' });
    expect(container.ports.find((p: { name: string }) => p.name === 'webhook').containerPort).toBe(9443);
  });

  it('one CRD per kind MetalLB watches, all with a status subresource; BGPPeer serves v1beta1, stores v1beta2, converts by webhook', () => {
    const crds = ofKind(objects, 'CustomResourceDefinition');
    expect(crds.map((c) => c.spec!.names.kind).sort()).toEqual(
      ['BFDProfile', 'BGPAdvertisement', 'BGPPeer', 'Community', 'ConfigurationState', 'IPAddressPool', 'L2Advertisement', 'ServiceBGPStatus', 'ServiceL2Status'],
    );
    for (const crd of crds) {
      expect(crd.metadata.namespace, crd.metadata.name).toBeUndefined();
      for (const v of crd.spec!.versions) expect(v.subresources, crd.metadata.name).toEqual({ status: {} });
      expect(crd.spec!.versions.filter((v: { storage: boolean }) => v.storage)).toHaveLength(1);
    }
    const peer = crds.find((c) => c.metadata.name === METALLB_BGPPEER_CRD)!;
    expect(peer.spec!.versions.map((v: any) => [v.name, v.served, v.storage, v.deprecated ?? false])).toEqual([
      ['v1beta1', true, false, true],
      ['v1beta2', true, true, false],
    ]);
    expect(peer.spec!.conversion).toEqual({
      strategy: 'Webhook',
      webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { name: 'metallb-webhook-service', namespace: 'metallb-system', path: '/convert', port: 443 } } },
    });
    expect(JSON.stringify(crds)).not.toContain('caBundle');
  });

  it('schemas are structural: every node says its type (the API server refuses CRDs otherwise)', () => {
    const untyped: string[] = [];
    const walk = (node: any, path: string) => {
      if (node.type === undefined && !node['x-kubernetes-int-or-string'] && !node['x-kubernetes-preserve-unknown-fields']) untyped.push(path);
      for (const [k, v] of Object.entries(node.properties ?? {})) walk(v, `${path}.${k}`);
      if (node.items) walk(node.items, `${path}[]`);
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}{}`);
    };
    for (const crd of ofKind(objects, 'CustomResourceDefinition')) {
      for (const v of crd.spec!.versions) walk(v.schema.openAPIV3Schema, `${crd.metadata.name}/${v.name}`);
    }
    expect(untyped).toEqual([]);
    expect(METALLB_KINDS).toHaveLength(9);
  });

  it('a validating webhook per configuration kind, on the paths the controller registers, with no caBundle', () => {
    const vwc = ofKind(objects, 'ValidatingWebhookConfiguration')[0];
    expect(vwc.metadata.name).toBe(METALLB_WEBHOOK_CONFIGURATION);
    expect(vwc.webhooks.map((w: any) => w.clientConfig.service.path).sort()).toEqual([
      '/validate-metallb-io-v1beta1-bfdprofile', '/validate-metallb-io-v1beta1-bgpadvertisement', '/validate-metallb-io-v1beta1-community',
      '/validate-metallb-io-v1beta1-ipaddresspool', '/validate-metallb-io-v1beta1-l2advertisement', '/validate-metallb-io-v1beta2-bgppeer',
    ]);
    expect(METALLB_VALIDATIONS.map(validationPath)).toHaveLength(6);
    for (const w of vwc.webhooks) {
      expect(w.failurePolicy).toBe('Fail');
      expect(w.clientConfig.caBundle).toBeUndefined();
      expect(w.clientConfig.service.name).toBe('metallb-webhook-service');
    }
  });

  it('Argo CD applies server-side and leaves what the controller writes alone: the two caBundles and the certificate Secret\'s data', () => {
    expect(stack.sync.serverSideApply).toBe(true);
    expect(stack.sync.ignoreDifferences).toEqual([
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: 'metallb-webhook-configuration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: 'bgppeers.metallb.io', jsonPointers: ['/spec/conversion/webhook/clientConfig/caBundle'] },
      { group: '', kind: 'Secret', name: 'metallb-webhook-cert', namespace: 'metallb-system', jsonPointers: ['/data'] },
    ]);
  });

  it('namespace privileged only because of the speaker: host network and NET_RAW, nothing more; the controller is restricted', () => {
    expect(ofKind(objects, 'Namespace')[0].metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const speaker = ofKind(objects, 'DaemonSet')[0].spec!.template.spec;
    expect(speaker.hostNetwork).toBe(true);
    expect(speaker.hostPID).toBeUndefined();
    expect(speaker.volumes.some((v: any) => v.hostPath)).toBe(false);
    expect(speaker.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_RAW'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    const controller = ofKind(objects, 'Deployment')[0].spec!.template.spec;
    expect(controller.hostNetwork).toBeUndefined();
    expect(controller.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(ofKind(objects, 'Deployment')[0].spec!.replicas).toBe(1);
  });

  it('renders the webhook certificate Secret empty, before the controller; memberlist (made by the controller) is not rendered', () => {
    const secrets = ofKind(objects, 'Secret');
    expect(secrets.map((s) => [s.metadata.namespace, s.metadata.name])).toEqual([['metallb-system', 'metallb-webhook-cert']]);
    const [cert] = secrets;
    expect(cert.type).toBe('Opaque');
    expect('data' in cert || 'stringData' in cert).toBe(false);
    expect(cert.metadata.annotations!['fleetnet.io/filled-by']).toBe('metallb-controller');
    expect(cert.metadata.annotations!['kubernetes.io/description']).toMatch(/controller writes its webhook CA and serving certificate here and rotates them/);
    expect(syncWaveOf(cert)).toBeLessThan(syncWaveOf(ofKind(objects, 'Deployment')[0]));
    const secretVolumes = (o: Obj) => o.spec!.template.spec.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName);
    expect(secretVolumes(ofKind(objects, 'Deployment')[0])).toEqual(['metallb-webhook-cert']);
    expect(secretVolumes(ofKind(objects, 'DaemonSet')[0])).toEqual(['memberlist']);
  });

  it('RBAC: no wildcard, Secrets only inside the MetalLB namespace, every metallb.io resource named has a CRD', () => {
    const plurals = new Set(METALLB_KINDS.map((k) => k.plural));
    for (const role of [...ofKind(objects, 'Role'), ...ofKind(objects, 'ClusterRole')]) {
      for (const rule of role.rules) {
        expect(rule.verbs, role.metadata.name).not.toContain('*');
        expect(rule.resources, role.metadata.name).not.toContain('*');
        if (role.kind === 'ClusterRole') expect(rule.resources, role.metadata.name).not.toContain('secrets');
        if (rule.apiGroups.includes('metallb.io')) for (const r of rule.resources) expect(plurals.has(r.split('/')[0]), r).toBe(true);
      }
    }
  });
});
