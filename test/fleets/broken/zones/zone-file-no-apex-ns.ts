import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'the file has no NS record at the zone apex legacy.platform.example',
  fleet: variant((f) => { clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'no-apex-ns.zone') }); }),
} satisfies BrokenFleet;
