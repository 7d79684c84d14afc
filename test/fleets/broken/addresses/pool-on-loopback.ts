import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", loadBalancer.pools[1].addresses[0]: "127.0.0.0/30" holds an address a loopback address`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').loadBalancer.pools.push({ name: 'local', addresses: ['127.0.0.0/30'] });
  }),
} satisfies BrokenFleet;
