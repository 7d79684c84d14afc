import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", loadBalancer.pools[1].addresses[0]: "198.51.100.64/28" overlaps "198.51.100.64/27" of cluster "prod-x" on network "default"',
  fleet: variant((f) => { clusterOf(f, 'test-x').loadBalancer.pools.push({ name: 'borrowed', addresses: ['198.51.100.64/28'] }); }),
} satisfies BrokenFleet;
