import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams[0]: 2001:db8::53 is IPv6, but the cluster's pods are IPv4`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.upstreams = ['2001:db8::53'];
  }),
} satisfies BrokenFleet;
