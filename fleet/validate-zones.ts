import type { Cluster } from './cluster';
import { isDnsName, isInZone } from '../constructs/common/dns-name';
import type { FleetIssue, ReportIssue } from './errors';
import type { Fleet } from './fleet';
import { zoneIssues } from '../constructs/zones/source';
import { compileZone } from '../constructs/zones/compile';
import { isZoneFile, ZoneSource } from '../constructs/zones/zone';
import { existsSync, statSync } from 'node:fs';
import { isIp, sameIp } from '../constructs/common/ip';
import { zoneFileProblems } from './validate-zone-file';

/** The PowerDNS zones of a cluster: each in the platform domain, outside the tier zones, and valid. */
export function checkZones(fleet: Fleet, c: Cluster, report: ReportIssue): void {
  const zones = c.dns.zones ?? [];
  if (zones.length > 0 && c.dns.powerdnsIP === undefined) {
    report({ field: 'dns.zones', problem: 'zones are served by PowerDNS, but the cluster has no dns.powerdnsIP', fix: 'give the cluster a fixed PowerDNS IP inside one of its pools, or remove the zones' });
  }
  if (zones.length === 0 && c.dns.powerdnsIP !== undefined) {
    report({ field: 'dns.powerdnsIP', problem: 'PowerDNS would run without a zone and answer nothing', fix: 'add the zones it serves to dns.zones, or remove powerdnsIP' });
  }
  for (const [i, zone] of zones.entries()) {
    const field = `dns.zones[${i}]`;
    if (isDnsName(zone.name)) {
      const tier = fleet.tiers.find((t) => isInZone(zone.name, t.zone));
      if (!isInZone(zone.name, fleet.domain) || zone.name === fleet.domain) {
        report({ field: `${field}.name`, problem: `zone "${zone.name}" is outside the platform domain "${fleet.domain}"`, fix: `use a zone below ${fleet.domain}, e.g. static.${fleet.domain}` });
      } else if (tier) {
        report({ field: `${field}.name`, problem: `zone "${zone.name}" is inside the tier zone "${tier.zone}", where the tier authority answers every name from the gateways, so this PowerDNS would never be asked`, fix: `use a zone outside the tier zones, e.g. static.${fleet.domain}, delegated by corporate DNS to dns.powerdnsIP` });
      }
    }
    for (const issue of zoneIssues(zone, { nameServerAddress: c.dns.powerdnsIP })) {
      report({ field: `${field}.${issue.field}`, problem: issue.problem, fix: issue.fix });
    }
    if (isZoneFile(zone)) checkZoneFileParses(zone.file, zone.name, field, report);
    else checkTypedZoneData(c, zone, field, report);
  }
}

/** A hand-written file parses as PowerDNS will read it. */
function checkZoneFileParses(file: string, zone: string, field: string, report: ReportIssue): void {
  if (typeof file !== 'string' || !existsSync(file) || !statSync(file).isFile()) return; // reported by zoneIssues
  for (const p of zoneFileProblems(file, zone)) {
    report({ field: `${field}.file`, problem: `${file} line ${p.line}: ${p.problem}; pdnsutil load-zone would fail and PowerDNS would not start`, fix: p.fix });
  }
}

/** Targets are host names, not addresses; the glue of the zone's own name servers is the PowerDNS address. */
function checkTypedZoneData(c: Cluster, zone: Exclude<ZoneSource, { file: string }>, field: string, report: ReportIssue): void {
  const { zone: compiled } = compileZone(zone, { nameServerAddress: c.dns.powerdnsIP });
  for (const r of compiled.records) {
    if (r.target !== undefined && isIp(r.target)) {
      report({ field: `${field}.${r.field}`, problem: `${r.type} points at ${r.target}, an address; ${r.type} data must name a host`, fix: 'write the host name, and give that name an A or AAAA record' });
    }
  }
  const ip = c.dns.powerdnsIP;
  if (ip === undefined) return;
  const nameServers = compiled.records.filter((r) => r.type === 'NS' && r.target !== undefined && isInZone(r.target, zone.name));
  for (const ns of nameServers) {
    const glue = compiled.records.filter((r) => r.owner === ns.target && (r.type === 'A' || r.type === 'AAAA'));
    const wrong = glue.filter((g) => !sameIp(g.rdata, ip));
    for (const g of wrong) {
      report({ field: `${field}.${g.field}`, problem: `${g.owner} is a name server of the zone, but its ${g.type} record ${g.rdata} is not this cluster's PowerDNS (dns.powerdnsIP ${ip}), which is the only server that holds the zone`, fix: `point ${g.owner} at ${ip}, or leave the record out and fleetnet writes it` });
    }
  }
}

/** A zone is served by one PowerDNS in the fleet, and no zone nests inside another (no delegations are written). */
export function checkZonesAcrossClusters(fleet: Fleet, issues: FleetIssue[]): void {
  const seen: { cluster: string; zone: string; field: string }[] = [];
  for (const c of fleet.clusters) {
    for (const [i, zone] of (c.dns.zones ?? []).entries()) {
      const field = `dns.zones[${i}].name`;
      for (const other of seen) {
        const where = other.cluster === c.name ? other.field : `${other.field} of cluster "${other.cluster}"`;
        if (other.zone === zone.name) {
          issues.push({ cluster: c.name, field, problem: `zone "${zone.name}" is already served by ${where}`, fix: 'serve each zone from one PowerDNS: remove the duplicate' });
        } else if (isInZone(zone.name, other.zone) || isInZone(other.zone, zone.name)) {
          issues.push({ cluster: c.name, field, problem: `zone "${zone.name}" nests with zone "${other.zone}" (${where}), which would need a delegation fleetnet does not write`, fix: 'use disjoint zones, or put the names into one zone' });
        }
      }
      seen.push({ cluster: c.name, zone: zone.name, field });
    }
  }
  checkCnameLoops(fleet, issues);
}

/** CNAME chains across every typed zone of the fleet end somewhere: no alias leads back to itself. */
function checkCnameLoops(fleet: Fleet, issues: FleetIssue[]): void {
  const aliases = new Map<string, { cluster: string; field: string }>();
  const targetOf = new Map<string, string>();
  for (const c of fleet.clusters) {
    for (const [i, zone] of (c.dns.zones ?? []).entries()) {
      if (isZoneFile(zone) || !isDnsName(zone.name)) continue;
      for (const r of compileZone(zone, { nameServerAddress: c.dns.powerdnsIP }).zone.records) {
        if (r.type !== 'CNAME' || r.target === undefined || r.target === r.owner) continue;
        targetOf.set(r.owner, r.target);
        aliases.set(r.owner, { cluster: c.name, field: `dns.zones[${i}].${r.field}.target` });
      }
    }
  }
  const reported = new Set<string>();
  for (const start of targetOf.keys()) {
    const chain = [start];
    let next = targetOf.get(start);
    for (let hops = 0; next !== undefined && hops < targetOf.size; hops++) {
      if (next === start) {
        if (!chain.some((n) => reported.has(n))) {
          const where = aliases.get(start)!;
          issues.push({ cluster: where.cluster, ...{ field: where.field }, problem: `the CNAME chain ${[...chain, start].join(' -> ')} is a loop, so no resolver gets an address`, fix: 'point one of the aliases at a name with A or AAAA records' });
          chain.forEach((n) => reported.add(n));
        }
        break;
      }
      chain.push(next);
      next = targetOf.get(next);
    }
  }
}
