import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams: 16 upstreams, but CoreDNS forward accepts at most 15`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.upstreams = Array.from({ length: 16 }, (_, i) => `192.0.2.${100 + i}`);
  }),
} satisfies BrokenFleet;
