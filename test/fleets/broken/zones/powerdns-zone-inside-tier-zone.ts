import type { ZoneProps } from '../../../../constructs/zones/zone';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-y", dns.zones[0].name: zone "static.prod.platform.example" is inside the tier zone "prod.platform.example"',
  fleet: variant((f) => { (clusterOf(f, 'prod-y').dns.zones![0] as { name: ZoneProps['name'] }).name = 'static.prod.platform.example'; }),
} satisfies BrokenFleet;
