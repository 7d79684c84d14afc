import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `dns.clusterDomain: "in-addr.arpa" is a reverse-lookup zone`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.clusterDomain = 'in-addr.arpa';
  }),
} satisfies BrokenFleet;
