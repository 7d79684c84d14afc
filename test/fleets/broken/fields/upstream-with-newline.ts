import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams[0]: "192.0.2.53\\n" holds a line break`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.upstreams = ['192.0.2.53\n'];
  }),
} satisfies BrokenFleet;
