import type { ZoneProps, ZoneRecord } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `SRV points at 192.0.2.10, an address`,
  fleet: variant((f) => {
    const z = clusterOf(f, 'prod-y').dns.zones![0] as { -readonly [K in keyof ZoneProps]: ZoneProps[K] } & { records: ZoneRecord[] }; z.records[5] = { name: '_ldap._tcp', type: 'SRV', priority: 0, weight: 100, port: 389, target: '192.0.2.10', ttl: 3600 };
  }),
} satisfies BrokenFleet;
