import type { ZoneProps, ZoneRecord } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", dns.zones[0].records[3]: MX points at 198.51.100.25, an address`,
  fleet: variant((f) => {
    const z = clusterOf(f, 'prod-y').dns.zones![0] as { -readonly [K in keyof ZoneProps]: ZoneProps[K] } & { records: ZoneRecord[] }; z.records[3] = { name: '@', type: 'MX', preference: 10, exchange: '198.51.100.25' };
  }),
} satisfies BrokenFleet;
