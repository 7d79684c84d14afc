import type { ZoneProps, ZoneRecord } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `is not a lower-case DNS name`,
  fleet: variant((f) => {
    const z = clusterOf(f, 'prod-y').dns.zones![0] as { -readonly [K in keyof ZoneProps]: ZoneProps[K] } & { records: ZoneRecord[] }; z.name = 'Static.platform.example';
  }),
} satisfies BrokenFleet;
