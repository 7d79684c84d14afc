import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.clusterDomain: "platform.example" overlaps the platform domain`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').dns.clusterDomain = 'platform.example';
  }),
} satisfies BrokenFleet;
