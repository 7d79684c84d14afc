import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `MX points at the address 198.51.100.25`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'mx-to-address.zone') });
  }),
} satisfies BrokenFleet;
