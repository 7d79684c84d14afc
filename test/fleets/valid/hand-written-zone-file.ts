import { join } from 'node:path';
import { clusterOf, variant } from '../variant';

/** A PowerDNS zone kept as a hand-written BIND file (parentheses, comments, inherited owners, relative names) beside a typed one. */
export default variant((f) => {
  clusterOf(f, 'prod-y').dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, 'zones', 'legacy.platform.example.zone') });
});
