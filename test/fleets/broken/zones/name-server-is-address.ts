import type { ZoneProps, ZoneRecord } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `dns.zones[0].nameServers[0]: NS points at 198.51.100.113, an address`,
  fleet: variant((f) => {
    const z = clusterOf(f, 'prod-y').dns.zones![0] as { -readonly [K in keyof ZoneProps]: ZoneProps[K] } & { records: ZoneRecord[] }; z.nameServers = ['198.51.100.113'];
  }),
} satisfies BrokenFleet;
