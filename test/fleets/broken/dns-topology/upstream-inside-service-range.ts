import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams[1]: 10.96.0.53 is inside the cluster's own podNetwork.serviceCidr (10.96.0.0/16)`,
  fleet: variant((f) => { clusterOf(f, 'test-x').dns.upstreams.push('10.96.0.53'); }),
} satisfies BrokenFleet;
