import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", dns.zones[0].name: zone "zones.platform.example" encloses the zone "prod.zones.platform.example" of tier "prod"`,
  fleet: variant((f) => {
    f.tiers[0].zone = 'prod.zones.platform.example'; const z = clusterOf(f, 'prod-y').dns.zones![0] as { name: string; records: unknown[]; soa: { hostmaster?: string } }; z.name = 'zones.platform.example'; z.records = []; z.soa.hostmaster = undefined;
  }),
} satisfies BrokenFleet;
