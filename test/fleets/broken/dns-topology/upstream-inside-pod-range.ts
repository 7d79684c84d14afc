import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.upstreams[0]: 10.244.0.53 is inside the cluster's own podNetwork.podCidr (10.244.0.0/16)`,
  fleet: variant((f) => { clusterOf(f, 'prod-x').dns.upstreams = ['10.244.0.53']; }),
} satisfies BrokenFleet;
