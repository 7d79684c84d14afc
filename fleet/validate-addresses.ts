/**
 * Addresses across the whole fleet and every role, compared by value (`2001:db8::1` = `2001:db8:0::1`):
 * MetalLB pools, the fixed IPs of the DNS services, API servers, upstream resolvers and BGP peers.
 */
import { poolAddressIssues } from '../constructs/metallb/address-pool';
import { bgpAsnIssues } from '../constructs/metallb/bgp-peer';
import type { Cluster } from './cluster';
import type { FleetIssue, ReportIssue } from './errors';
import type { Fleet } from './fleet';
import { contains, IpFamily, ipKey, IpRange, ipRange, isLoopback, overlaps, parseCidr, parseIp, parsePoolAddresses, specialUse } from '../constructs/common/ip';

/** One parsed pool entry of a cluster. */
export interface PoolRange {
  readonly name: string;
  readonly range: IpRange;
  readonly field: string;
}

/** The fixed LoadBalancer IPs a cluster declares, by field. */
export function fixedIps(c: Cluster): { field: string; ip: string }[] {
  const out: { field: string; ip: string }[] = [];
  for (const key of ['gatewayIP', 'authorityIP', 'secondaryAuthorityIP', 'powerdnsIP'] as const) {
    const ip = c.dns[key];
    if (ip !== undefined) out.push({ field: `dns.${key}`, ip });
  }
  return out;
}

/** The pool entries of a cluster that parse. */
export function poolRanges(c: Cluster): PoolRange[] {
  return c.loadBalancer.pools.flatMap((pool, i) =>
    pool.addresses.flatMap((text, j) => {
      const range = parsePoolAddresses(text);
      return range ? [{ name: pool.name, range, field: `loadBalancer.pools[${i}].addresses[${j}]` }] : [];
    }));
}

/**
 * A lab on one machine: every MetalLB pool is on loopback, so the tests and benchmarks run the
 * synthesized programs locally. There, loopback fixed IPs and resolvers are the network itself.
 */
export function isLoopbackLab(c: Cluster): boolean {
  const pools = poolRanges(c);
  return pools.length > 0 && pools.every((p) => isLoopback(p.range));
}

/** The address family of the cluster's Services (its Service range), if it parses. */
export function serviceFamily(c: Cluster): IpFamily | undefined {
  return parseCidr(c.podNetwork.serviceCidr)?.family;
}

/** The host of an API server URL, lower case, with the port (443 by default); an IP host by value. */
export function apiServerEndpoint(url: string): { host: string; port: string; ip?: string; key: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = parsed.port || '443';
  const ip = parseIp(host) ? host : undefined;
  return { host, port, ip, key: `${ip ? ipKey(ip) : host}:${port}` };
}

/** Pools of one cluster: well formed, disjoint, no special-use addresses. */
export function checkPools(c: Cluster, report: ReportIssue): PoolRange[] {
  const pools: PoolRange[] = [];
  const loopbackOk = isLoopbackLab(c);
  if (c.loadBalancer.pools.length === 0) {
    report({ field: 'loadBalancer.pools', problem: 'the cluster has no MetalLB pool, so no LoadBalancer Service gets an address', fix: 'add a pool with the addresses reserved for this cluster' });
  }
  for (const [i, pool] of c.loadBalancer.pools.entries()) {
    const field = `loadBalancer.pools[${i}]`;
    // Well formed: the MetalLB layer's own check, under this pool's field path.
    for (const issue of poolAddressIssues(pool.addresses)) {
      report({ ...issue, field: `${field}.${issue.field}`, problem: issue.field === 'addresses' ? `pool "${pool.name}" has no addresses` : issue.problem });
    }
    for (const [j, text] of pool.addresses.entries()) {
      const at = `${field}.addresses[${j}]`;
      const range = parsePoolAddresses(text);
      if (!range) continue;
      const special = specialUse(range, { loopbackOk });
      if (special) report({ field: at, problem: `"${text}" holds an address ${special}`, fix: 'use addresses of the network the cluster is on' });
      for (const other of pools) {
        if (overlaps(range, other.range)) {
          report({ field: at, problem: `"${text}" overlaps "${other.range.text}" at ${other.field} (pool "${other.name}")`, fix: 'give every pool its own, disjoint addresses' });
        }
      }
      pools.push({ name: pool.name, range, field: at });
    }
  }
  const wantsBgp = c.loadBalancer.pools.some((p) => p.mode === 'bgp');
  const peers = c.loadBalancer.bgpPeers ?? [];
  if (wantsBgp && peers.length === 0) {
    report({ field: 'loadBalancer.bgpPeers', problem: "a pool uses mode 'bgp' but the cluster has no BGP peer, so the pool would be announced nowhere", fix: 'add the routers to bgpPeers, or use mode l2' });
  }
  if (!wantsBgp && peers.length > 0) {
    report({ field: 'loadBalancer.bgpPeers', problem: "BGP peers are listed but no pool has mode 'bgp', so every pool is announced by L2 and the routers learn nothing", fix: "set mode: 'bgp' on the pools the routers should announce, or remove bgpPeers" });
  }
  for (const [i, peer] of peers.entries()) {
    const field = `loadBalancer.bgpPeers[${i}]`;
    const range = ipRange(peer.peerAddress);
    if (!range) report({ field: `${field}.peerAddress`, problem: `"${peer.peerAddress}" is not an IP address`, fix: "write the router's address" });
    else {
      const special = specialUse(range, { loopbackOk });
      if (special) report({ field: `${field}.peerAddress`, problem: `${peer.peerAddress} is ${special}`, fix: "write the router's address on the node network" });
      const pool = pools.find((p) => overlaps(p.range, range));
      if (pool) report({ field: `${field}.peerAddress`, problem: `${peer.peerAddress} is inside MetalLB pool "${pool.name}" (${pool.range.text}), so MetalLB could give the router's address to a Service`, fix: 'keep routers out of the pools' });
      for (const other of peers.slice(0, i)) {
        if (ipKey(other.peerAddress) === ipKey(peer.peerAddress)) report({ field: `${field}.peerAddress`, problem: `${peer.peerAddress} is already the address of peer "${other.name}"`, fix: 'list each router once' });
      }
    }
    for (const issue of bgpAsnIssues(peer)) report({ ...issue, field: `${field}.${issue.field}` });
  }
  return pools;
}

/** The fixed IPs of one cluster: present for its role, inside its pools, distinct, of its Services' family. */
export function checkFixedIps(c: Cluster, pools: readonly PoolRange[], report: ReportIssue): void {
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
    report({ field: 'dns.authorityIP', problem: 'only the management cluster of a tier runs its primary authority', fix: 'remove authorityIP, or write it as dns.secondaryAuthorityIP for a further authority on this workload cluster' });
  }
  if (c.role === 'management' && c.dns.secondaryAuthorityIP !== undefined) {
    report({ field: 'dns.secondaryAuthorityIP', problem: 'the management cluster already runs the tier authority on dns.authorityIP', fix: 'remove secondaryAuthorityIP; further authorities run on workload clusters' });
  }
  const family = serviceFamily(c);
  const api = apiServerEndpoint(c.apiServer);
  const used = new Map<string, string>();
  for (const { field, ip } of fixedIps(c)) {
    const range = ipRange(ip);
    if (!range) {
      report({ field, problem: `"${ip}" is not an IP address`, fix: 'write a single address such as 10.10.10.2' });
      continue;
    }
    const special = specialUse(range, { loopbackOk: isLoopbackLab(c) });
    if (special) report({ field, problem: `${ip} is ${special}`, fix: 'pick an address from one of the cluster\'s pools' });
    if (family !== undefined && range.family !== family) {
      report({ field, problem: `${ip} is IPv${range.family}, but the cluster's Services are IPv${family} (podNetwork.serviceCidr ${c.podNetwork.serviceCidr}), so MetalLB cannot give it to the Service`, fix: `pick an IPv${family} address from a pool` });
    }
    if (pools.length > 0 && !pools.some((p) => contains(p.range, ip))) {
      report({ field, problem: `${ip} is outside every MetalLB pool of the cluster (${pools.map((p) => p.range.text).join(', ')}), so MetalLB would refuse it`, fix: 'pick an address inside a pool, or add a pool that contains it' });
    }
    if (api?.ip && ipKey(api.ip) === ipKey(ip)) {
      report({ field, problem: `${ip} is the cluster's own API server address (apiServer)`, fix: 'pick a free address from a pool; the API server keeps its own' });
    }
    const key = ipKey(ip)!;
    const before = used.get(key);
    if (before) report({ field, problem: `${ip} is already used by ${before}`, fix: 'give each DNS service its own address' });
    used.set(key, field);
  }
}

interface Owned {
  readonly cluster: string;
  readonly network: string;
  readonly field: string;
  readonly range: IpRange;
  readonly what: string;
}

/**
 * Across clusters on one network: no two clusters' pools overlap; no fixed IP, API server, upstream
 * resolver or BGP peer lies in a pool or equals another cluster's fixed IP; no two clusters share an
 * API server.
 */
export function checkAddressesAcrossClusters(fleet: Fleet, issues: FleetIssue[]): void {
  const pools: Owned[] = [];
  const singles: Owned[] = [];
  for (const c of fleet.clusters) {
    for (const p of poolRanges(c)) pools.push({ cluster: c.name, network: c.network, field: p.field, range: p.range, what: `MetalLB pool "${p.name}"` });
    for (const { field, ip } of fixedIps(c)) {
      const range = ipRange(ip);
      if (range) singles.push({ cluster: c.name, network: c.network, field, range, what: field });
    }
    const api = apiServerEndpoint(c.apiServer);
    const apiRange = api?.ip ? ipRange(api.ip) : undefined;
    if (apiRange) singles.push({ cluster: c.name, network: c.network, field: 'apiServer', range: apiRange, what: 'API server' });
    // The API server and the routers are on the node network, never in the cluster's own pod or Service ranges.
    const internal = [['podNetwork.podCidr', c.podNetwork.podCidr], ['podNetwork.serviceCidr', c.podNetwork.serviceCidr], ['podNetwork.mizar.vpcCidr', c.podNetwork.mizar?.vpcCidr]] as const;
    const outside = [
      ...(apiRange && !isLoopback(apiRange) ? [{ field: 'apiServer', range: apiRange, what: 'the API server' }] : []),
      ...(c.loadBalancer.bgpPeers ?? []).flatMap((p, i) => { const r = ipRange(p.peerAddress); return r ? [{ field: `loadBalancer.bgpPeers[${i}].peerAddress`, range: r, what: `BGP peer "${p.name}"` }] : []; }),
    ];
    for (const o of outside) {
      const hit = internal.find(([, cidr]) => cidr !== undefined && parseCidr(cidr) !== undefined && overlaps(parseCidr(cidr)!, o.range));
      if (hit) issues.push({ cluster: c.name, field: o.field, problem: `${o.range.text} (${o.what}) is inside the cluster's own ${hit[0]} (${hit[1]}), an address only pods or Services hold`, fix: 'write its address on the node network' });
    }
    for (const [i, up] of c.dns.upstreams.entries()) {
      const range = ipRange(up);
      if (range) singles.push({ cluster: c.name, network: c.network, field: `dns.upstreams[${i}]`, range, what: 'upstream resolver' });
    }
    for (const [i, peer] of (c.loadBalancer.bgpPeers ?? []).entries()) {
      const range = ipRange(peer.peerAddress);
      if (range) singles.push({ cluster: c.name, network: c.network, field: `loadBalancer.bgpPeers[${i}].peerAddress`, range, what: 'BGP peer' });
    }
  }
  const where = (o: Owned, self: string) => (o.cluster === self ? o.field : `${o.field} of cluster "${o.cluster}"`);

  // Pools of different clusters on one network are disjoint.
  for (const [i, p] of pools.entries()) {
    for (const q of pools.slice(0, i)) {
      if (q.cluster !== p.cluster && q.network === p.network && overlaps(p.range, q.range)) {
        issues.push({ cluster: p.cluster, field: p.field, problem: `"${p.range.text}" overlaps "${q.range.text}" of cluster "${q.cluster}" on network "${p.network}"`, fix: 'give every cluster its own addresses, or set loadBalancer.network if the clusters are on isolated networks' });
      }
    }
  }
  // Nothing else lies in a pool: only the pool's own cluster's fixed IPs may (and must) be inside its pools.
  for (const s of singles) {
    for (const p of pools) {
      if (p.network !== s.network || !overlaps(p.range, s.range)) continue;
      if (p.cluster === s.cluster && s.field.startsWith('dns.') && !s.field.startsWith('dns.upstreams')) continue;
      const fix = s.what === 'upstream resolver' || s.what === 'BGP peer' || s.what === 'API server'
        ? `keep ${s.what === 'API server' ? 'API servers' : s.what === 'BGP peer' ? 'routers' : 'resolvers'} out of the pools, or shrink the pool so it leaves the address out`
        : 'pick an address of the cluster\'s own pools; another cluster\'s MetalLB may hand this one out';
      issues.push({ cluster: s.cluster, field: s.field, problem: `${s.range.text} (${s.what}) is inside ${p.what} (${p.range.text}) of ${p.cluster === s.cluster ? 'this cluster' : `cluster "${p.cluster}"`}, whose MetalLB may give it to a Service`, fix });
    }
  }
  // Fixed IPs and API servers are one machine each: the same address in two roles or two clusters collides.
  const unique = singles.filter((s) => s.what !== 'upstream resolver' && s.what !== 'BGP peer');
  for (const [i, s] of unique.entries()) {
    for (const o of unique.slice(0, i)) {
      if (o.network !== s.network || o.range.first !== s.range.first || o.range.family !== s.range.family) continue;
      if (o.cluster === s.cluster) continue; // reported per cluster
      if (s.what === 'API server' && o.what === 'API server') continue; // reported as a shared API server
      issues.push({ cluster: s.cluster, field: s.field, problem: `${s.range.text} is already ${where(o, s.cluster)} (${o.what})`, fix: 'give each DNS service and API server in the fleet its own address' });
    }
  }
  for (const s of singles.filter((x) => x.what !== 'upstream resolver' && x.what !== 'BGP peer')) {
    for (const o of singles.filter((x) => x.what === 'upstream resolver' || x.what === 'BGP peer')) {
      if (o.network !== s.network || o.range.first !== s.range.first || o.range.family !== s.range.family) continue;
      if (o.what === 'upstream resolver' && s.field.startsWith('dns.')) continue; // a DNS loop, reported by the topology rules
      issues.push({ cluster: s.cluster, field: s.field, problem: `${s.range.text} is also ${where(o, s.cluster)} (${o.what})`, fix: `give the ${s.what} an address of its own` });
    }
  }
  // Two clusters behind one API server would be bootstrapped and synced over each other.
  const apis = new Map<string, Cluster>();
  for (const c of fleet.clusters) {
    const api = apiServerEndpoint(c.apiServer);
    // A loopback URL is a tunnel or a lab on the operator's machine: its port says which cluster, not its address.
    if (!api || (api.ip && isLoopback(ipRange(api.ip)!))) continue;
    const other = apis.get(api.key);
    if (other) issues.push({ cluster: c.name, field: 'apiServer', problem: `${c.apiServer} is the API server of cluster "${other.name}" too (${other.apiServer}), so both clusters' manifests would be applied to one cluster`, fix: 'write the URL of this cluster\'s own API server' });
    else apis.set(api.key, c);
  }
}
