import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'has a CNAME and other records',
  fleet: variant((f) => { clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'cname-and-other-data.zone') }); }),
} satisfies BrokenFleet;
