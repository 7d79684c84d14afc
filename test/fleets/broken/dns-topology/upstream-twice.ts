import { BrokenFleet, clusterOf, ipv6TestTier, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", dns.upstreams[1]: 2001:db8:0::53 is listed twice',
  fleet: variant((f) => {
    ipv6TestTier(f);
    clusterOf(f, 'test-x').dns.upstreams = ['2001:db8::53', '2001:db8:0::53'];
  }),
} satisfies BrokenFleet;
