import { BrokenFleet, clusterOf, ipv6TestTier, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", dns.gatewayIP: 2001:db8:20:0:0::53 is already dns.authorityIP of cluster "test-mgmt"',
  fleet: variant((f) => {
    ipv6TestTier(f);
    // The same address as the authority's 2001:db8:20::53, written another way.
    const t = clusterOf(f, 'test-x');
    t.loadBalancer.pools.push({ name: 'borrowed', addresses: ['2001:db8:20::50-2001:db8:20::5f'] });
    t.dns.gatewayIP = '2001:db8:20:0:0::53';
  }),
} satisfies BrokenFleet;
