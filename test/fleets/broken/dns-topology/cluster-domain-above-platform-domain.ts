import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", dns.clusterDomain: "example" overlaps the platform domain "platform.example"',
  fleet: variant((f) => { clusterOf(f, 'prod-x').dns.clusterDomain = 'example'; }),
} satisfies BrokenFleet;
