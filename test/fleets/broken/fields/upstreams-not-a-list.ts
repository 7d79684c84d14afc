import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams: is "192.0.2.53", not a list`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.upstreams = '192.0.2.53' as unknown as string[];
  }),
} satisfies BrokenFleet;
