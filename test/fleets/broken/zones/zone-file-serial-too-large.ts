import { join } from 'node:path';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'the SOA serial "99999999999" is not a whole number up to 4294967295',
  fleet: variant((f) => { clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'files', 'serial-too-large.zone') }); }),
} satisfies BrokenFleet;
