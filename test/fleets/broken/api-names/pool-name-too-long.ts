import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `is not a DNS label`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').loadBalancer.pools[0].name = 'p'.repeat(64);
  }),
} satisfies BrokenFleet;
