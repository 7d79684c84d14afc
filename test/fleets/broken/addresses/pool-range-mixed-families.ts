import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `mixes an IPv4 and an IPv6 address`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-y').loadBalancer.pools[1].addresses = ['198.51.100.112-2001:db8::1'];
  }),
} satisfies BrokenFleet;
