import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams[0]: 10.96.0.10 is this cluster's own DNS (dns.serviceIP)`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.upstreams = ['10.96.0.10'];
  }),
} satisfies BrokenFleet;
