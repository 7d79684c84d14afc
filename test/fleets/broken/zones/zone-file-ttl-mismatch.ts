import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'has TTL 300 here but 60 on line 6',
  fleet: variant((f) => { clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'ttl-mismatch.zone') }); }),
} satisfies BrokenFleet;
