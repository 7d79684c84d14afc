import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.gatewayIP: 2001:db8:21::66 is IPv6, but the tier authority runs on IPv4 cluster "test-mgmt"`,
  fleet: variant((f) => {
    const t = clusterOf(f, 'test-x'); t.loadBalancer.pools = [{ name: 'default', addresses: ['2001:db8:21::/120'] }]; t.dns.gatewayIP = '2001:db8:21::66'; t.dns.serviceIP = 'fd00:96::a'; t.dns.upstreams = ['2001:db8::53']; t.podNetwork.podCidr = 'fd00:244::/64'; t.podNetwork.serviceCidr = 'fd00:96::/112';
  }),
} satisfies BrokenFleet;
