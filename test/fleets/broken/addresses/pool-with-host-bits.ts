import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", loadBalancer.pools[0].addresses[0]: "203.0.113.65/27" is not a CIDR',
  fleet: variant((f) => { clusterOf(f, 'test-x').loadBalancer.pools[0].addresses = ['203.0.113.65/27']; }),
} satisfies BrokenFleet;
