import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", loadBalancer.pools[0].mode: "L2" is not one of 'l2', 'bgp'. Fix: write 'l2'`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').loadBalancer.pools[0].mode = 'L2' as 'l2';
  }),
} satisfies BrokenFleet;
