import type { Cluster } from './cluster';
import { isDnsLabel, isDnsName, isInZone } from './dns-name';
import { FleetIssue, FleetValidationError } from './errors';
import type { Fleet } from './fleet';
import { zoneIssues } from '../constructs/zones/source';
import { contains, IpRange, isIp, overlaps, parseCidr, parseIp, parsePoolAddresses, within } from './ip';
import { CHAINABLE_PLUGIN_TYPES, DEFAULT_CNI_CHAIN } from '../constructs/cni/cluster-network';
import { CNI_VERSIONS, isCniVersion, PLUGIN_VERSIONS } from '../constructs/cni/versions';

/** fanout accepts at most this many upstreams (networkservicemesh/fanout: `maxIPCount`). */
export const FANOUT_MAX_UPSTREAMS = 100;

type Report = (issue: Omit<FleetIssue, 'cluster'>) => void;

/** Every problem of a fleet, in a stable order. An empty list means the fleet is valid. */
export function fleetIssues(fleet: Fleet): FleetIssue[] {
  const issues: FleetIssue[] = [];
  const fleetReport: Report = (i) => issues.push(i);
  checkFleetFields(fleet, fleetReport);
  checkTiers(fleet, fleetReport, issues);
  for (const [index, c] of fleet.clusters.entries()) {
    const report: Report = (i) => issues.push({ cluster: c.name || `#${index}`, ...i });
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

function checkFleetFields(fleet: Fleet, report: Report): void {
  if (!isDnsName(fleet.domain)) {
    report({ field: 'domain', problem: `"${fleet.domain}" is not a valid lower-case DNS name`, fix: 'use a name such as platform.example, without a trailing dot' });
  }
  if (!/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(fleet.git.repoURL)) {
    report({ field: 'git.repoURL', problem: `"${fleet.git.repoURL}" is not a repository URL Argo CD can clone`, fix: 'use an https://, ssh:// or git@ URL' });
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

function checkTiers(fleet: Fleet, report: Report, issues: FleetIssue[]): void {
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

function checkCluster(fleet: Fleet, c: Cluster, report: Report): void {
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

function checkPools(c: Cluster, report: Report): { name: string; range: IpRange; field: string }[] {
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

function checkFixedIps(c: Cluster, pools: { name: string; range: IpRange }[], report: Report): void {
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

function checkClusterDns(c: Cluster, report: Report): void {
  if (!isDnsName(c.clusterDomain)) report({ field: 'dns.clusterDomain', problem: `"${c.clusterDomain}" is not a valid DNS name`, fix: 'use the kubelet\'s cluster domain, usually cluster.local' });
  if (!isIp(c.dns.serviceIP)) report({ field: 'dns.serviceIP', problem: `"${c.dns.serviceIP}" is not an IP address`, fix: "write the kubelet's clusterDNS address, e.g. 10.96.0.10" });
  if (c.dns.upstreams.length === 0) report({ field: 'dns.upstreams', problem: 'no upstream resolvers', fix: 'list the resolvers the cluster DNS forwards other names to' });
  for (const [i, up] of c.dns.upstreams.entries()) {
    if (!isIp(up)) report({ field: `dns.upstreams[${i}]`, problem: `"${up}" is not an IP address`, fix: 'forward accepts addresses; write the resolver\'s IP' });
  }
}

function checkPodNetwork(c: Cluster, pools: { name: string; range: IpRange }[], report: Report): void {
  const net = c.podNetwork;
  const ranges: { field: string; range: IpRange }[] = [];
  for (const key of ['podCidr', 'serviceCidr'] as const) {
    const range = parseCidr(net[key]);
    if (!range) report({ field: `podNetwork.${key}`, problem: `"${net[key]}" is not a CIDR`, fix: 'write a CIDR without host bits, e.g. 10.244.0.0/16' });
    else ranges.push({ field: `podNetwork.${key}`, range });
  }
  if (ranges.length === 2 && overlaps(ranges[0].range, ranges[1].range)) {
    report({ field: 'podNetwork.serviceCidr', problem: `${net.serviceCidr} overlaps podCidr ${net.podCidr}`, fix: 'use disjoint ranges for pods and Services' });
  }
  for (const r of ranges) {
    for (const p of pools) {
      if (overlaps(r.range, p.range)) report({ field: r.field, problem: `${r.range.text} overlaps MetalLB pool "${p.name}" (${p.range.text})`, fix: 'keep LoadBalancer addresses outside the pod and Service ranges' });
    }
  }
  const service = ranges.find((r) => r.field === 'podNetwork.serviceCidr');
  if (service && isIp(c.dns.serviceIP) && !contains(service.range, c.dns.serviceIP)) {
    report({ field: 'dns.serviceIP', problem: `${c.dns.serviceIP} is outside the Service range ${service.range.text}`, fix: 'pick the address the kubelet uses as clusterDNS, inside podNetwork.serviceCidr' });
  }
  if (net.mizar) {
    const vpc = parseCidr(net.mizar.vpcCidr);
    if (!vpc) report({ field: 'podNetwork.mizar.vpcCidr', problem: `"${net.mizar.vpcCidr}" is not a CIDR`, fix: 'write a CIDR without host bits, e.g. 20.0.0.0/8' });
    if (net.mizar.subnetCidr !== undefined) {
      const subnet = parseCidr(net.mizar.subnetCidr);
      if (!subnet) report({ field: 'podNetwork.mizar.subnetCidr', problem: `"${net.mizar.subnetCidr}" is not a CIDR`, fix: 'write a CIDR without host bits' });
      else if (vpc && !within(subnet, vpc)) report({ field: 'podNetwork.mizar.subnetCidr', problem: `${subnet.text} is not inside the VPC ${vpc.text}`, fix: 'pick a subnet inside vpcCidr' });
    }
    if (vpc) checkMizarVpc(c, vpc, ranges, pools, report);
  }
  if (net.cni) checkCni(c, ranges, report);
}

function checkMizarVpc(c: Cluster, vpc: IpRange, ranges: { field: string; range: IpRange }[], pools: { name: string; range: IpRange }[], report: Report): void {
  const mizar = c.podNetwork.mizar!;
  if (vpc.family !== 4) report({ field: 'podNetwork.mizar.vpcCidr', problem: `${vpc.text} is not IPv4; Mizar networks are IPv4 only`, fix: 'use an IPv4 CIDR, e.g. 172.20.0.0/16' });
  const service = ranges.find((r) => r.field === 'podNetwork.serviceCidr');
  if (service && overlaps(vpc, service.range)) report({ field: 'podNetwork.mizar.vpcCidr', problem: `${vpc.text} overlaps the Service range ${service.range.text}`, fix: 'give pods (the VPC) and Services disjoint ranges' });
  for (const p of pools) {
    if (overlaps(vpc, p.range)) report({ field: 'podNetwork.mizar.vpcCidr', problem: `${vpc.text} overlaps MetalLB pool "${p.name}" (${p.range.text})`, fix: 'keep LoadBalancer addresses outside the VPC' });
  }
  const vni = mizar.vni;
  if (vni !== undefined && (!Number.isInteger(vni) || vni < 1 || vni > 16777215)) {
    report({ field: 'podNetwork.mizar.vni', problem: `${vni} is not a Geneve VNI (an integer 1-16777215)`, fix: 'pick an integer between 1 and 16777215, or leave it out for 1' });
  }
}

function checkCni(c: Cluster, ranges: { field: string; range: IpRange }[], report: Report): void {
  const cni = c.podNetwork.cni!;
  if (c.podNetwork.mizar) {
    report({ field: 'podNetwork.cni', problem: "Mizar owns the nodes' CNI configuration: its daemon deletes every other file in /etc/cni/net.d when it starts", fix: 'remove podNetwork.cni, or podNetwork.mizar' });
  }
  if (cni.subnet !== undefined) {
    const subnet = parseCidr(cni.subnet);
    const pods = ranges.find((r) => r.field === 'podNetwork.podCidr');
    if (!subnet) report({ field: 'podNetwork.cni.subnet', problem: `"${cni.subnet}" is not a CIDR`, fix: 'write a CIDR without host bits, inside podCidr' });
    else if (pods && !within(subnet, pods.range)) report({ field: 'podNetwork.cni.subnet', problem: `${subnet.text} is not inside podCidr ${pods.range.text}`, fix: 'pick a range inside podCidr' });
  }
  const chain = cni.chain ?? DEFAULT_CNI_CHAIN;
  const seen = new Set<string>();
  for (const [i, type] of chain.entries()) {
    if (!CHAINABLE_PLUGIN_TYPES.includes(type)) {
      report({ field: `podNetwork.cni.chain[${i}]`, problem: `"${type}" is not a plugin that can follow the bridge`, fix: 'use portmap, bandwidth, tuning or firewall' });
    } else if (seen.has(type)) {
      report({ field: `podNetwork.cni.chain[${i}]`, problem: `"${type}" is listed twice`, fix: 'list each plugin once' });
    }
    seen.add(type);
  }
  const version = cni.cniVersion ?? '1.0.0';
  if (!isCniVersion(version)) {
    report({ field: 'podNetwork.cni.cniVersion', problem: `"${version}" is not a CNI specification version`, fix: `use one of ${CNI_VERSIONS.join(', ')}` });
    return;
  }
  const unsupported = ['bridge', 'host-local', ...seen].filter((type) => PLUGIN_VERSIONS[type] && !PLUGIN_VERSIONS[type].includes(version));
  if (unsupported.length > 0) {
    report({ field: 'podNetwork.cni.cniVersion', problem: `${version} is not supported by ${unsupported.join(', ')} (${unsupported.map((t) => `${t}: ${PLUGIN_VERSIONS[t][0]}+`).join(', ')})`, fix: 'raise cniVersion (1.0.0 suits every plugin), or drop those plugins from the chain' });
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

/** The PowerDNS zones of a cluster: each in the platform domain, outside the tier zones, and valid. */
function checkZones(fleet: Fleet, c: Cluster, report: Report): void {
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
function checkZonesAcrossClusters(fleet: Fleet, issues: FleetIssue[]): void {
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
