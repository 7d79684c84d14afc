import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", dns.zones[0].records[0].type: "a" is not one of`,
  fleet: variant((f) => {
    (clusterOf(f, 'prod-y').dns.zones![0] as { records: { type: string }[] }).records[0].type = 'a';
  }),
} satisfies BrokenFleet;
