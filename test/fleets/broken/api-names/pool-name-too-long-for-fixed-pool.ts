import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", loadBalancer.pools[0].name: "' + 'p'.repeat(60) + '" is 60 characters; with the "-fixed" pool',
  fleet: variant((f) => { clusterOf(f, 'prod-x').loadBalancer.pools[0].name = 'p'.repeat(60); }),
} satisfies BrokenFleet;
