import type { ZoneProps, ZoneRecord } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-y", dns.zones[0].records[6].name: registry.static.platform.example has a CNAME and other data: A (records[0]), AAAA (records[1])',
  fleet: variant((f) => {
    const zone = clusterOf(f, 'prod-y').dns.zones![0] as { records: ZoneRecord[] } & Omit<ZoneProps, 'records'>;
    zone.records.push({ name: 'registry', type: 'CNAME', target: 'mirror.platform.example' });
  }),
} satisfies BrokenFleet;
