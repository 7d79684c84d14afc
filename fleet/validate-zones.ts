import type { Cluster } from './cluster';
import { isDnsName, isInZone } from './dns-name';
import type { FleetIssue, ReportIssue } from './errors';
import type { Fleet } from './fleet';
import { zoneIssues } from '../constructs/zones/source';

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
}
