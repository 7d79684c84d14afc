import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams[0]: 203.0.113.40 (upstream resolver) is inside MetalLB pool "default" (203.0.113.32/27) of cluster "test-mgmt"`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.upstreams = ['203.0.113.40'];
  }),
} satisfies BrokenFleet;
