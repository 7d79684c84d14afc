import type { ZoneProps, ZoneRecord } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-y", dns.zones[0].records[6].name: "www.platform.example." is outside the zone static.platform.example',
  fleet: variant((f) => {
    const zone = clusterOf(f, 'prod-y').dns.zones![0] as { records: ZoneRecord[] } & Omit<ZoneProps, 'records'>;
    zone.records.push({ name: 'www.platform.example.', type: 'A', address: '198.51.100.121' });
  }),
} satisfies BrokenFleet;
