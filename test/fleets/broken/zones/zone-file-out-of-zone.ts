import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `owner www.other.example is outside the zone legacy.platform.example`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'out-of-zone.zone') });
  }),
} satisfies BrokenFleet;
