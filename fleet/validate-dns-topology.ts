/**
 * The DNS topology: no forwarding loops, no zone that shadows another, and the real limits of the
 * plugins (forward's 15 upstreams, fanout's).
 */
import { tierZoneIssues } from '../constructs/coredns/dns-service-props';
import type { Cluster } from './cluster';
import { isDnsName, isInZone } from '../constructs/common/dns-name';
import type { FleetIssue, ReportIssue } from './errors';
import type { Fleet } from './fleet';
import { fixedIps, isLoopbackLab, serviceFamily } from './validate-addresses';
import { ipKey, ipRange, overlaps, parseCidr, parseIp, specialUse } from '../constructs/common/ip';

/** CoreDNS forward accepts at most this many upstreams (plugin/forward: `max is 15`). */
export const FORWARD_MAX_UPSTREAMS = 15;
/** fanout accepts at most this many upstreams (networkservicemesh/fanout `maxIPCount`; our fleetfanout `maxGateways` too). */
export const FANOUT_MAX_UPSTREAMS = 100;

/** The cluster DNS of one cluster: its upstreams are real recursive resolvers, within forward's limit. */
export function checkUpstreams(fleet: Fleet, c: Cluster, report: ReportIssue): void {
  const ups = c.dns.upstreams;
  if (ups.length === 0) report({ field: 'dns.upstreams', problem: 'no upstream resolvers', fix: 'list the resolvers the cluster DNS forwards other names to' });
  if (ups.length > FORWARD_MAX_UPSTREAMS) {
    report({ field: 'dns.upstreams', problem: `${ups.length} upstreams, but CoreDNS forward accepts at most ${FORWARD_MAX_UPSTREAMS} and the cluster DNS would not start`, fix: `list at most ${FORWARD_MAX_UPSTREAMS} resolvers` });
  }
  const roles = new Map<string, string>();
  for (const other of fleet.clusters) {
    for (const { field, ip } of fixedIps(other)) {
      const key = ipKey(ip);
      const what = field === 'dns.gatewayIP' ? 'gateway' : field.includes('uthorityIP') ? 'tier authority' : 'PowerDNS';
      if (key) roles.set(key, `the ${what} of cluster "${other.name}" (${field}), which answers only its own zones and does not recurse`);
    }
  }
  const family = serviceFamily(c);
  const seen = new Set<string>();
  for (const [i, up] of ups.entries()) {
    const field = `dns.upstreams[${i}]`;
    const range = ipRange(up);
    if (!range) {
      report({ field, problem: `"${up}" is not an IP address`, fix: "forward accepts addresses; write the resolver's IP (no port, no host name)" });
      continue;
    }
    const key = ipKey(up)!;
    if (seen.has(key)) report({ field, problem: `${up} is listed twice`, fix: 'list each resolver once' });
    seen.add(key);
    if (key === ipKey(c.dns.serviceIP)) {
      report({ field, problem: `${up} is this cluster's own DNS (dns.serviceIP): the cluster DNS would forward to itself, and CoreDNS's loop plugin stops it at start`, fix: "write the corporate resolvers, not the cluster's own DNS" });
      continue;
    }
    const special = specialUse(range, { loopbackOk: isLoopbackLab(c) });
    if (special) {
      report({ field, problem: `${up} is ${special}; inside a pod it reaches no resolver (or the cluster DNS itself, a loop)`, fix: "write the network's resolvers, e.g. the ones in the nodes' /etc/resolv.conf that are not loopback" });
      continue;
    }
    const inside = [['podNetwork.podCidr', c.podNetwork.podCidr], ['podNetwork.serviceCidr', c.podNetwork.serviceCidr], ['podNetwork.mizar.vpcCidr', c.podNetwork.mizar?.vpcCidr]]
      .find(([, cidr]) => cidr !== undefined && parseCidr(cidr) !== undefined && overlaps(parseCidr(cidr)!, range));
    if (inside) {
      report({ field, problem: `${up} is inside the cluster's own ${inside[0]} (${inside[1]}): a pod or Service of the cluster, not a resolver outside it (and one that asks the cluster DNS back makes a loop)`, fix: "write the network's resolvers, outside the cluster's pod and Service ranges" });
      continue;
    }
    const role = roles.get(key);
    if (role) {
      report({ field, problem: `${up} is ${role}; names outside the fleet would fail, and the tier zone would loop through it`, fix: 'write the corporate resolvers; the tier zone already goes to the tier authority' });
    }
    if (family !== undefined && range.family !== family) {
      report({ field, problem: `${up} is IPv${range.family}, but the cluster's pods are IPv${family} (podNetwork.serviceCidr ${c.podNetwork.serviceCidr}), so the cluster DNS cannot reach it`, fix: `write IPv${family} resolvers` });
    }
  }
}

/** Zones of the fleet: tier zones disjoint, cluster domains apart from every zone fleetnet serves. */
export function checkZoneTopology(fleet: Fleet, issues: FleetIssue[]): void {
  for (const [i, tier] of fleet.tiers.entries()) {
    // The TTL rule of the tier's DNS constructs (gateway answers, authority apex), reported for the tier.
    for (const issue of tierZoneIssues(tier.zone, tier.ttl).filter((x) => x.field === 'ttl')) issues.push({ ...issue, field: `tiers[${i}].ttl` });
    if (!isDnsName(tier.zone)) continue;
    for (const [j, other] of fleet.tiers.slice(0, i).entries()) {
      if (!isDnsName(other.zone) || other.name === tier.name) continue;
      if (tier.zone === other.zone) {
        issues.push({ field: `tiers[${i}].zone`, problem: `zone "${tier.zone}" is also the zone of tier "${other.name}" (tiers[${j}]); two authorities cannot both serve it`, fix: `give tier "${tier.name}" its own zone, e.g. ${tier.name}.${fleet.domain}` });
      } else if (isInZone(tier.zone, other.zone) || isInZone(other.zone, tier.zone)) {
        issues.push({ field: `tiers[${i}].zone`, problem: `zone "${tier.zone}" nests with zone "${other.zone}" of tier "${other.name}" (tiers[${j}]); the outer authority would fan out the inner tier's names to the wrong gateways`, fix: 'use sibling zones, e.g. prod.<domain> and test.<domain>' });
      }
    }
  }
  const tierZones = fleet.tiers.filter((t) => isDnsName(t.zone));
  const powerdnsZones = fleet.clusters.flatMap((o) => (o.dns.zones ?? []).map((z, i) => ({ cluster: o.name, zone: z.name, field: `dns.zones[${i}].name` })));
  for (const c of fleet.clusters) {
    const domain = c.clusterDomain;
    if (!isDnsName(domain)) continue;
    const field = 'dns.clusterDomain';
    const fix = 'keep the kubelet\'s cluster domain (cluster.local) or another name outside the platform domain and every tier and PowerDNS zone';
    if (isInZone(domain, 'arpa')) {
      issues.push({ cluster: c.name, field, problem: `"${domain}" is a reverse-lookup zone, which the cluster DNS already serves for Service and pod addresses`, fix });
    } else if (isInZone(domain, fleet.domain) || isInZone(fleet.domain, domain)) {
      issues.push({ cluster: c.name, field, problem: `"${domain}" overlaps the platform domain "${fleet.domain}": the cluster DNS would answer the fleet's names from this cluster alone`, fix });
    } else {
      for (const t of tierZones) {
        if (isInZone(domain, t.zone) || isInZone(t.zone, domain)) issues.push({ cluster: c.name, field, problem: `"${domain}" overlaps the zone "${t.zone}" of tier "${t.name}"`, fix });
      }
      for (const z of powerdnsZones) {
        if (isDnsName(z.zone) && (isInZone(domain, z.zone) || isInZone(z.zone, domain))) {
          issues.push({ cluster: c.name, field, problem: `"${domain}" overlaps the PowerDNS zone "${z.zone}" (${z.field} of cluster "${z.cluster}")`, fix });
        }
      }
    }
  }
  // A PowerDNS zone above a tier zone would need a delegation to the tier authority, which fleetnet does not write.
  for (const z of powerdnsZones) {
    if (!isDnsName(z.zone)) continue;
    for (const t of tierZones) {
      if (z.zone !== t.zone && isInZone(t.zone, z.zone)) {
        issues.push({ cluster: z.cluster, field: z.field, problem: `zone "${z.zone}" encloses the zone "${t.zone}" of tier "${t.name}": PowerDNS would answer NXDOMAIN for the tier's names, as it holds no delegation to the tier authority`, fix: `serve a zone beside the tier zones, e.g. static.${fleet.domain}` });
      }
    }
  }
}

/** The tier authority fans out to the tier's gateways: distinct addresses, within fanout's limit, reachable by family. */
export function checkFanout(fleet: Fleet, issues: FleetIssue[]): void {
  for (const [i, tier] of fleet.tiers.entries()) {
    const workloads = fleet.workloadsOf(tier.name);
    const managers = fleet.clusters.filter((c) => c.tier === tier.name && c.role === 'management');
    if (workloads.length > FANOUT_MAX_UPSTREAMS) {
      issues.push({ field: `tiers[${i}]`, problem: `tier "${tier.name}" has ${workloads.length} workload clusters, but the fanout plugin accepts at most ${FANOUT_MAX_UPSTREAMS} upstreams`, fix: 'split the tier in two' });
    }
    const authority = managers[0];
    const authorities = fleet.clusters.filter((c) => c.tier === tier.name).flatMap((c) =>
      (['authorityIP', 'secondaryAuthorityIP'] as const).flatMap((k) => (c.dns[k] !== undefined && ipKey(c.dns[k]!) ? [{ cluster: c, field: `dns.${k}`, key: ipKey(c.dns[k]!)! }] : [])));
    if (authorities.length > FORWARD_MAX_UPSTREAMS) {
      issues.push({ field: `tiers[${i}]`, problem: `tier "${tier.name}" has ${authorities.length} tier authorities, but every cluster DNS of the tier forwards the zone to all of them and CoreDNS forward accepts at most ${FORWARD_MAX_UPSTREAMS}`, fix: `keep at most ${FORWARD_MAX_UPSTREAMS} authorities per tier` });
    }
    const seen = new Map<string, string>();
    for (const w of workloads) {
      const ip = w.dns.gatewayIP;
      const key = ip !== undefined ? ipKey(ip) : undefined;
      if (!key) continue;
      const own = authorities.find((a) => a.key === key);
      if (own) {
        issues.push({ cluster: w.name, field: 'dns.gatewayIP', problem: `${ip} is the tier authority's own address (${own.field} of "${own.cluster.name}"): the authority would fan out to itself and never ask this cluster`, fix: 'give the gateway an address of its own pools' });
      }
      const before = seen.get(key);
      if (before) issues.push({ cluster: w.name, field: 'dns.gatewayIP', problem: `${ip} is also the gateway of "${before}" in tier "${tier.name}": the authority would ask one of them twice and never the other`, fix: 'give every gateway of a tier its own address' });
      seen.set(key, w.name);
      const mgmtFamily = authority ? serviceFamily(authority) : undefined;
      const family = parseIp(ip!)?.family;
      if (mgmtFamily !== undefined && family !== undefined && family !== mgmtFamily) {
        issues.push({ cluster: w.name, field: 'dns.gatewayIP', problem: `${ip} is IPv${family}, but the tier authority runs on IPv${mgmtFamily} cluster "${authority!.name}" and cannot fan out to it`, fix: `give the gateway an IPv${mgmtFamily} address, or run the tier on one address family` });
      }
    }
    if (authority?.dns.authorityIP !== undefined) {
      const family = parseIp(authority.dns.authorityIP)?.family;
      for (const c of fleet.clusters.filter((x) => x.tier === tier.name && x !== authority)) {
        const own = serviceFamily(c);
        if (family !== undefined && own !== undefined && own !== family) {
          issues.push({ cluster: c.name, field: 'podNetwork.serviceCidr', problem: `the cluster is IPv${own}, but its tier authority ${authority.dns.authorityIP} (cluster "${authority.name}") is IPv${family}, so its cluster DNS cannot reach the tier zone`, fix: 'run every cluster of a tier on one address family' });
        }
      }
    }
  }
}
