import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.upstreams[0]: 198.51.100.53 is the tier authority of cluster "prod-mgmt"`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').dns.upstreams = ['198.51.100.53'];
  }),
} satisfies BrokenFleet;
