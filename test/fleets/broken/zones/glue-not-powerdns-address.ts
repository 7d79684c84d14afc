import type { ZoneProps, ZoneRecord } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", dns.zones[0].records[6]: ns1.static.platform.example is a name server of the zone, but its A record 198.51.100.114 is not this cluster's PowerDNS`,
  fleet: variant((f) => {
    const z = clusterOf(f, 'prod-y').dns.zones![0] as { -readonly [K in keyof ZoneProps]: ZoneProps[K] } & { records: ZoneRecord[] }; z.records.push({ name: 'ns1', type: 'A', address: '198.51.100.114' });
  }),
} satisfies BrokenFleet;
