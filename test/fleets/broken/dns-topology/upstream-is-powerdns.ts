import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `dns.upstreams[0]: 198.51.100.113 is the PowerDNS of cluster "prod-y"`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').dns.upstreams = ['198.51.100.113'];
  }),
} satisfies BrokenFleet;
