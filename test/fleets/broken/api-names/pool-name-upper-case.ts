import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", loadBalancer.pools[0].name: "Default" is not a DNS label, so the API server would refuse the IPAddressPool`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').loadBalancer.pools[0].name = 'Default';
  }),
} satisfies BrokenFleet;
