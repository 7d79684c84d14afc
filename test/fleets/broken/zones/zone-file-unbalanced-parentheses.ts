import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `a "(" is never closed`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'open-parenthesis.zone') });
  }),
} satisfies BrokenFleet;
