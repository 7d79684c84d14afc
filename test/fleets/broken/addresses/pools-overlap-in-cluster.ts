import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-y", loadBalancer.pools[1].addresses[0]: "198.51.100.100-198.51.100.120" overlaps "198.51.100.96/28"',
  fleet: variant((f) => { clusterOf(f, 'prod-y').loadBalancer.pools[1].addresses = ['198.51.100.100-198.51.100.120']; }),
} satisfies BrokenFleet;
