import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-mgmt", dns.upstreams[1]: 203.0.113.66 is the gateway of cluster "test-x"`,
  fleet: variant((f) => {
    clusterOf(f, 'test-mgmt').dns.upstreams.push('203.0.113.66');
  }),
} satisfies BrokenFleet;
