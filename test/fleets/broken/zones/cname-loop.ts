import type { ZoneProps, ZoneRecord } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `is a loop, so no resolver gets an address`,
  fleet: variant((f) => {
    const z = clusterOf(f, 'prod-y').dns.zones![0] as { -readonly [K in keyof ZoneProps]: ZoneProps[K] } & { records: ZoneRecord[] }; z.records.push({ name: 'a', type: 'CNAME', target: 'b.static.platform.example' }, { name: 'b', type: 'CNAME', target: 'c.static.platform.example' }, { name: 'c', type: 'CNAME', target: 'a.static.platform.example' });
  }),
} satisfies BrokenFleet;
