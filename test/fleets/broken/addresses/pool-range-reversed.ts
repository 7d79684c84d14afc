import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", loadBalancer.pools[1].addresses[0]: "198.51.100.126-198.51.100.112" is reversed`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-y').loadBalancer.pools[1].addresses = ['198.51.100.126-198.51.100.112'];
  }),
} satisfies BrokenFleet;
