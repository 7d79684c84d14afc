import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `$INCLUDE names another file`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'include.zone') });
  }),
} satisfies BrokenFleet;
