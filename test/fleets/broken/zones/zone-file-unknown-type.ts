import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `line 5: "AAA" is not a record type`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'unknown-type.zone') });
  }),
} satisfies BrokenFleet;
