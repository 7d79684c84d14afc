import { renderZone } from './bind';
import { CompileOptions, compileZone, ZoneIssue } from './compile';
import { isZoneFile, ZoneSource } from './zone';
import { readZoneFile, zoneFileIssues } from './zone-file';

/** Every problem of a zone, typed or hand-written. */
export function zoneIssues(zone: ZoneSource, options: CompileOptions = {}): ZoneIssue[] {
  return isZoneFile(zone) ? zoneFileIssues(zone) : compileZone(zone, options).issues;
}

/** The BIND text PowerDNS loads for a zone: rendered from typed data, or the hand-written file as it is. */
export function zoneText(zone: ZoneSource, options: CompileOptions = {}): string {
  return isZoneFile(zone) ? readZoneFile(zone) : renderZone(zone, options);
}
