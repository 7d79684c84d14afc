import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `dns.clusterDomain: "cluster.prod.platform.example" overlaps the platform domain`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').dns.clusterDomain = 'cluster.prod.platform.example';
  }),
} satisfies BrokenFleet;
