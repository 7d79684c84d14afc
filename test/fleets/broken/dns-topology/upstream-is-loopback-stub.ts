import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams[0]: 127.0.0.53 is a loopback address`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.upstreams = ['127.0.0.53'];
  }),
} satisfies BrokenFleet;
