import type { Cluster } from './cluster';
import { isDnsLabel, isDnsName, isInZone } from './dns-name';
import { FleetIssue, FleetValidationError, ReportIssue } from './errors';
import type { Fleet } from './fleet';
import { contains, IpRange, isIp, overlaps, parseIp, parsePoolAddresses } from './ip';
import { checkPodNetwork } from './validate-pod-network';
import { checkZones, checkZonesAcrossClusters } from './validate-zones';

/** fanout accepts at most this many upstreams (networkservicemesh/fanout: `maxIPCount`). */
export const FANOUT_MAX_UPSTREAMS = 100;

/** Every problem of a fleet, in a stable order. An empty list means the fleet is valid. */
export function fleetIssues(fleet: Fleet): FleetIssue[] {
  const issues: FleetIssue[] = [];
  const fleetReport: ReportIssue = (i) => issues.push(i);
  checkFleetFields(fleet, fleetReport);
  checkTiers(fleet, fleetReport, issues);
  for (const [index, c] of fleet.clusters.entries()) {
    const report: ReportIssue = (i) => issues.push({ cluster: c.name || `#${index}`, ...i });
    checkCluster(fleet, c, report);
  }
  checkAcrossClusters(fleet, issues);
  checkZonesAcrossClusters(fleet, issues);
  return issues;
}

/** Throws a FleetValidationError naming every problem; returns the fleet when it is valid. */
export function validateFleet(fleet: Fleet): Fleet {
  const issues = fleetIssues(fleet);
  if (issues.length > 0) throw new FleetValidationError(issues);
  return fleet;
}

function checkFleetFields(fleet: Fleet, report: ReportIssue): void {
  if (!isDnsName(fleet.domain)) {
    report({ field: 'domain', problem: `"${fleet.domain}" is not a valid lower-case DNS name`, fix: 'use a name such as platform.example, without a trailing dot' });
  }
  // file:/// (a repository on the repo-server's own disk) is what the lab (lab/) syncs from.
  if (!/^(https:\/\/|ssh:\/\/|git@|file:\/\/\/)[^\s]+$/.test(fleet.git.repoURL)) {
    report({ field: 'git.repoURL', problem: `"${fleet.git.repoURL}" is not a repository URL Argo CD can clone`, fix: 'use an https://, ssh://, git@ or file:/// URL' });
  }
  if (fleet.git.revision.trim() === '') {
    report({ field: 'git.revision', problem: 'is empty', fix: 'name a branch, tag or commit, e.g. main' });
  }
  const base = fleet.git.basePath;
  if (base.startsWith('/') || base.split('/').includes('..') || base.trim() === '') {
    report({ field: 'git.basePath', problem: `"${base}" is not a relative path inside the repository`, fix: 'use a relative path such as charts-out' });
  }
  if (fleet.clusters.length === 0) {
    report({ field: 'clusters', problem: 'the fleet has no clusters', fix: 'add at least one management cluster per tier' });
  }
}

function checkTiers(fleet: Fleet, report: ReportIssue, issues: FleetIssue[]): void {
  const seen = new Set<string>();
  for (const [i, tier] of fleet.tiers.entries()) {
    const field = `tiers[${i}]`;
    if (!isDnsLabel(tier.name)) report({ field: `${field}.name`, problem: `"${tier.name}" is not a DNS label`, fix: 'use lower-case letters, digits and dashes, e.g. prod' });
    if (seen.has(tier.name)) report({ field: `${field}.name`, problem: `tier "${tier.name}" is declared twice`, fix: 'remove the duplicate tier' });
    seen.add(tier.name);
    if (!isDnsName(tier.zone)) {
      report({ field: `${field}.zone`, problem: `"${tier.zone}" is not a valid DNS name`, fix: `use a name such as ${tier.name}.${fleet.domain}` });
    } else if (!isInZone(tier.zone, fleet.domain) || tier.zone === fleet.domain) {
      report({ field: `${field}.zone`, problem: `zone "${tier.zone}" is outside the platform domain "${fleet.domain}"`, fix: `use a zone below ${fleet.domain}, e.g. ${tier.name}.${fleet.domain}` });
    }
    if (!Number.isInteger(tier.ttl) || tier.ttl < 1 || tier.ttl > 86400) {
      report({ field: `${field}.ttl`, problem: `${tier.ttl} is not a TTL in seconds between 1 and 86400`, fix: 'use a small TTL such as 30 so moved workloads are found quickly' });
    }
    const managers = fleet.clusters.filter((c) => c.tier === tier.name && c.role === 'management');
    if (managers.length === 0) {
      report({ field: `${field}`, problem: `tier "${tier.name}" has no management cluster, so nobody serves its zone`, fix: `give exactly one cluster of tier "${tier.name}" role: 'management'` });
    } else if (managers.length > 1) {
      for (const m of managers.slice(1)) {
        issues.push({ cluster: m.name, field: 'role', problem: `tier "${tier.name}" already has management cluster "${managers[0].name}"`, fix: `make "${m.name}" a workload cluster or move it to another tier` });
      }
    }
    const workloads = fleet.workloadsOf(tier.name).length;
    if (workloads > FANOUT_MAX_UPSTREAMS) {
      report({ field: `${field}`, problem: `tier "${tier.name}" has ${workloads} workload clusters, but the fanout plugin accepts at most ${FANOUT_MAX_UPSTREAMS} upstreams`, fix: 'split the tier in two' });
    }
  }
}

function checkCluster(fleet: Fleet, c: Cluster, report: ReportIssue): void {
  if (!isDnsLabel(c.name)) report({ field: 'name', problem: `"${c.name}" is not a DNS label`, fix: 'use lower-case letters, digits and dashes, at most 63 characters, e.g. prod-x' });
  if (!fleet.tiers.some((t) => t.name === c.tier)) {
    report({ field: 'tier', problem: `tier "${c.tier}" is not declared in the fleet`, fix: `use one of: ${fleet.tiers.map((t) => t.name).join(', ')}; or add the tier to the fleet` });
  }
  if (c.role !== 'management' && c.role !== 'workload') {
    report({ field: 'role', problem: `"${String(c.role)}" is not a role`, fix: "use 'management' or 'workload'" });
  }
  if (!/^https:\/\/[^\s/]+(:\d+)?(\/.*)?$/.test(c.apiServer)) {
    report({ field: 'apiServer', problem: `"${c.apiServer}" is not an https:// URL`, fix: 'write the API server URL, e.g. https://10.10.0.10:6443' });
  }
  if (c.bootstrap?.mode !== undefined && c.bootstrap.mode !== 'argocd' && c.bootstrap.mode !== 'direct') {
    report({ field: 'bootstrap.mode', problem: `"${String(c.bootstrap.mode)}" is not a bootstrap mode`, fix: "use 'argocd' (install Argo CD and the root Application) or 'direct' (apply charts-out with Pulumi)" });
  }
  const pools = checkPools(c, report);
  checkFixedIps(c, pools, report);
  checkClusterDns(c, report);
  checkZones(fleet, c, report);
  checkPodNetwork(c, pools, report);
}

function checkPools(c: Cluster, report: ReportIssue): { name: string; range: IpRange; field: string }[] {
  const pools: { name: string; range: IpRange; field: string }[] = [];
  if (c.loadBalancer.pools.length === 0) {
    report({ field: 'loadBalancer.pools', problem: 'the cluster has no MetalLB pool, so no LoadBalancer Service gets an address', fix: 'add a pool with the addresses reserved for this cluster' });
  }
  const names = new Set<string>();
  for (const [i, pool] of c.loadBalancer.pools.entries()) {
    const field = `loadBalancer.pools[${i}]`;
    if (!isDnsLabel(pool.name)) report({ field: `${field}.name`, problem: `"${pool.name}" is not a DNS label`, fix: 'use lower-case letters, digits and dashes' });
    if (names.has(pool.name)) report({ field: `${field}.name`, problem: `pool "${pool.name}" is declared twice`, fix: 'give each pool its own name' });
    names.add(pool.name);
    if (pool.addresses.length === 0) report({ field: `${field}.addresses`, problem: `pool "${pool.name}" has no addresses`, fix: 'list at least one CIDR or range' });
    for (const [j, text] of pool.addresses.entries()) {
      const range = parsePoolAddresses(text);
      if (!range) {
        report({ field: `${field}.addresses[${j}]`, problem: `"${text}" is not a CIDR or an address range`, fix: 'write a CIDR without host bits (10.10.10.0/26) or a range (10.10.10.10-10.10.10.20)' });
        continue;
      }
      for (const other of pools) {
        if (overlaps(range, other.range)) {
          report({ field: `${field}.addresses[${j}]`, problem: `"${text}" overlaps "${other.range.text}" at ${other.field} (pool "${other.name}")`, fix: 'give every pool its own, disjoint addresses' });
        }
      }
      pools.push({ name: pool.name, range, field: `${field}.addresses[${j}]` });
    }
  }
  const wantsBgp = c.loadBalancer.pools.some((p) => p.mode === 'bgp');
  const peers = c.loadBalancer.bgpPeers ?? [];
  if (wantsBgp && peers.length === 0) {
    report({ field: 'loadBalancer.bgpPeers', problem: "a pool uses mode 'bgp' but the cluster has no BGP peer, so the pool would be announced nowhere", fix: 'add the routers to bgpPeers, or use mode l2' });
  }
  for (const [i, peer] of peers.entries()) {
    if (!isIp(peer.peerAddress)) report({ field: `loadBalancer.bgpPeers[${i}].peerAddress`, problem: `"${peer.peerAddress}" is not an IP address`, fix: "write the router's address" });
    for (const [key, asn] of [['peerASN', peer.peerASN], ['myASN', peer.myASN]] as const) {
      if (!Number.isInteger(asn) || asn < 1 || asn > 4294967294) report({ field: `loadBalancer.bgpPeers[${i}].${key}`, problem: `${asn} is not an AS number`, fix: 'use an integer between 1 and 4294967294' });
    }
  }
  return pools;
}

/** The fixed LoadBalancer IPs a cluster declares, by field. */
export function fixedIps(c: Cluster): { field: string; ip: string }[] {
  const out: { field: string; ip: string }[] = [];
  for (const key of ['gatewayIP', 'authorityIP', 'powerdnsIP'] as const) {
    const ip = c.dns[key];
    if (ip !== undefined) out.push({ field: `dns.${key}`, ip });
  }
  return out;
}

function checkFixedIps(c: Cluster, pools: { name: string; range: IpRange }[], report: ReportIssue): void {
  if (c.role === 'workload' && c.dns.gatewayIP === undefined) {
    report({ field: 'dns.gatewayIP', problem: 'a workload cluster needs a fixed gateway IP: the tier authority fans out to IP addresses only', fix: 'pick a free address from one of its pools' });
  }
  if (c.role === 'management' && c.dns.authorityIP === undefined) {
    report({ field: 'dns.authorityIP', problem: "the management cluster needs a fixed tier authority IP: corporate DNS delegates the tier's zone to it", fix: 'pick a free address from one of its pools' });
  }
  if (c.role === 'management' && c.dns.gatewayIP !== undefined) {
    report({ field: 'dns.gatewayIP', problem: 'only workload clusters run a gateway', fix: 'remove gatewayIP, or make the cluster a workload cluster' });
  }
  if (c.role === 'workload' && c.dns.authorityIP !== undefined) {
    report({ field: 'dns.authorityIP', problem: 'only the management cluster of a tier runs its authority', fix: 'remove authorityIP' });
  }
  const used = new Map<string, string>();
  for (const { field, ip } of fixedIps(c)) {
    if (!isIp(ip)) {
      report({ field, problem: `"${ip}" is not an IP address`, fix: 'write a single address such as 10.10.10.2' });
      continue;
    }
    if (pools.length > 0 && !pools.some((p) => contains(p.range, ip))) {
      report({ field, problem: `${ip} is outside every MetalLB pool of the cluster (${pools.map((p) => p.range.text).join(', ')}), so MetalLB would refuse it`, fix: 'pick an address inside a pool, or add a pool that contains it' });
    }
    const before = used.get(ip);
    if (before) report({ field, problem: `${ip} is already used by ${before}`, fix: 'give each DNS service its own address' });
    used.set(ip, field);
  }
}

function checkClusterDns(c: Cluster, report: ReportIssue): void {
  if (!isDnsName(c.clusterDomain)) report({ field: 'dns.clusterDomain', problem: `"${c.clusterDomain}" is not a valid DNS name`, fix: 'use the kubelet\'s cluster domain, usually cluster.local' });
  if (!isIp(c.dns.serviceIP)) report({ field: 'dns.serviceIP', problem: `"${c.dns.serviceIP}" is not an IP address`, fix: "write the kubelet's clusterDNS address, e.g. 10.96.0.10" });
  if (c.dns.upstreams.length === 0) report({ field: 'dns.upstreams', problem: 'no upstream resolvers', fix: 'list the resolvers the cluster DNS forwards other names to' });
  for (const [i, up] of c.dns.upstreams.entries()) {
    if (!isIp(up)) report({ field: `dns.upstreams[${i}]`, problem: `"${up}" is not an IP address`, fix: 'forward accepts addresses; write the resolver\'s IP' });
  }
}

function checkAcrossClusters(fleet: Fleet, issues: FleetIssue[]): void {
  const byName = new Map<string, Cluster>();
  for (const c of fleet.clusters) {
    if (byName.has(c.name)) issues.push({ cluster: c.name, field: 'name', problem: 'another cluster has the same name; their charts-out folders would collide', fix: 'give each cluster a unique name' });
    byName.set(c.name, c);
  }
  // Pools and fixed IPs must be unique across clusters that share a network.
  const seenPools: { cluster: string; network: string; range: IpRange; field: string }[] = [];
  const seenIps = new Map<string, { cluster: string; field: string }>();
  for (const c of fleet.clusters) {
    for (const [i, pool] of c.loadBalancer.pools.entries()) {
      for (const [j, text] of pool.addresses.entries()) {
        const range = parsePoolAddresses(text);
        if (!range) continue;
        const field = `loadBalancer.pools[${i}].addresses[${j}]`;
        for (const other of seenPools) {
          if (other.cluster !== c.name && other.network === c.network && overlaps(range, other.range)) {
            issues.push({ cluster: c.name, field, problem: `"${text}" overlaps "${other.range.text}" of cluster "${other.cluster}" on network "${c.network}"`, fix: 'give every cluster its own addresses, or set loadBalancer.network if the clusters are on isolated networks' });
          }
        }
        seenPools.push({ cluster: c.name, network: c.network, range, field });
      }
    }
    for (const { field, ip } of fixedIps(c)) {
      if (!parseIp(ip)) continue;
      const key = `${c.network}/${ip}`;
      const other = seenIps.get(key);
      if (other && other.cluster !== c.name) {
        issues.push({ cluster: c.name, field, problem: `${ip} is already the ${other.field} of cluster "${other.cluster}"`, fix: 'give each DNS service in the fleet its own address' });
      }
      seenIps.set(key, { cluster: c.name, field });
    }
  }
}
