import { BrokenFleet, clusterOf, ipv6TestTier, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.gatewayIP: 2001:db8:20:0::53 is the tier authority's own address`,
  fleet: variant((f) => {
    ipv6TestTier(f);
    // On an isolated network, so only the fan-out (not the address plan) sees the collision.
    const t = clusterOf(f, 'test-x');
    t.loadBalancer.network = 'lab';
    t.loadBalancer.pools = [{ name: 'default', addresses: ['2001:db8:20::/120'] }];
    t.dns.gatewayIP = '2001:db8:20:0::53';
  }),
} satisfies BrokenFleet;
