import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { isDnsName } from '../common/dns-name';
import type { ZoneIssue } from './compile';
import type { ZoneFileProps } from './zone';

/**
 * What can be checked about a hand-written BIND file without a DNS server: it exists, it is where the
 * cluster file says, it has an SOA, and its `$ORIGIN` (if any) is the zone. The tests then load every
 * such file into a real PowerDNS with the pod's own commands (`pdnsutil load-zone`, `check-zone`).
 */
export function zoneFileIssues(props: ZoneFileProps): ZoneIssue[] {
  const issues: ZoneIssue[] = [];
  if (!isDnsName(props.name)) {
    issues.push({ field: 'name', problem: `"${props.name}" is not a lower-case DNS name`, fix: 'write the zone without a trailing dot, e.g. legacy.platform.example' });
  }
  if (!isAbsolute(props.file)) {
    issues.push({ field: 'file', problem: `"${props.file}" is a relative path, which depends on where synthesis runs`, fix: "write join(__dirname, 'zones', '<zone>.zone') in the cluster file" });
    return issues;
  }
  if (!existsSync(props.file) || !statSync(props.file).isFile()) {
    issues.push({ field: 'file', problem: `${props.file} does not exist`, fix: 'add the zone file under clusters/zones/, or fix the path' });
    return issues;
  }
  const text = readFileSync(props.file, 'utf8');
  const lines = text.split('\n').map((l) => l.replace(/;.*$/, '').trim()).filter((l) => l !== '');
  if (!lines.some((l) => /(^|\s)SOA(\s|$)/i.test(l))) {
    issues.push({ field: 'file', problem: `${props.file} has no SOA record`, fix: 'start the zone with its SOA record' });
  }
  const origin = lines.map((l) => /^\$ORIGIN\s+(\S+)/i.exec(l)?.[1]).find((o) => o !== undefined);
  if (origin !== undefined && origin.toLowerCase().replace(/\.$/, '') !== props.name) {
    issues.push({ field: 'file', problem: `${props.file} sets $ORIGIN ${origin}, not the zone ${props.name}.`, fix: `set $ORIGIN ${props.name}. or name the zone after the file's origin` });
  }
  return issues;
}

/** The file's text, as loaded into PowerDNS. */
export function readZoneFile(props: ZoneFileProps): string {
  return readFileSync(props.file, 'utf8');
}
