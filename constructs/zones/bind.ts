import { CompileOptions, compileZone, ZoneIssue } from './compile';
import { relativeTo } from './record-names';
import type { ZoneProps } from './zone';

/** Thrown by renderZone for a zone with problems; lists every one. */
export class ZoneError extends Error {
  constructor(readonly zone: string, readonly issues: readonly ZoneIssue[]) {
    super(`zone "${zone}" has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n` + issues.map((i) => `  - ${i.field}: ${i.problem}. Fix: ${i.fix}`).join('\n'));
    this.name = 'ZoneError';
  }
}

/**
 * The zone as BIND master-file text (RFC 1035 §5): `$ORIGIN`, `$TTL`, then one line per record with
 * an explicit TTL and class, owners relative to the origin. Output is deterministic: SOA, NS, then the
 * static records in the order written. Throws a ZoneError naming every problem.
 */
export function renderZone(props: ZoneProps, options: CompileOptions = {}): string {
  const { zone, issues } = compileZone(props, options);
  if (issues.length > 0) throw new ZoneError(props.name, issues);
  const owners = zone.records.map((r) => relativeTo(r.owner, zone.name));
  const width = Math.max(...owners.map((o) => o.length));
  const ttlWidth = Math.max(...zone.records.map((r) => String(r.ttl).length));
  const typeWidth = Math.max(...zone.records.map((r) => r.type.length));
  const lines = zone.records.map((r, i) => `${owners[i].padEnd(width)} ${String(r.ttl).padStart(ttlWidth)} IN ${r.type.padEnd(typeWidth)} ${r.rdata}`);
  return [
    `; Zone ${zone.name}, rendered by fleetnet from the cluster's dns.zones. Do not edit: change the cluster file.`,
    `$ORIGIN ${zone.name}.`,
    `$TTL ${zone.ttl}`,
    ...lines,
    '',
  ].join('\n');
}
