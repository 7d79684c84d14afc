/**
 * What the Kubernetes API server refuses: values that end up in `metadata.name`, a label or a
 * ConfigMap key, and Service IPs the range reserves (its network address, the first address that the
 * `kubernetes` Service takes, the IPv4 broadcast address).
 */
import type { Cluster } from './cluster';
import { isDnsLabel } from '../constructs/common/dns-name';
import type { ReportIssue } from './errors';
import { formatIp, parseCidr, parseIp } from '../constructs/common/ip';

/**
 * MetalLbStack moves a pool's fixed IPs into a pool of their own named `<pool>-fixed`
 * (constructs/metallb/fixed-ip-pools.ts), and a pool's name is also a label value (at most 63).
 */
const POOL_NAME_MAX = 63 - '-fixed'.length;
/** A ConfigMap key is at most 253 characters; zone files are keyed `<zone>.zone` / `<zone>.db`. */
const CONFIGMAP_KEY_MAX = 253;

/** Names that land in `metadata.name` or a label value: pools, BGP peers, stacks. */
export function checkApiNames(c: Cluster, report: ReportIssue): void {
  const names = new Set<string>();
  for (const [i, pool] of c.loadBalancer.pools.entries()) {
    const field = `loadBalancer.pools[${i}].name`;
    if (!isDnsLabel(pool.name)) report({ field, problem: `"${pool.name}" is not a DNS label, so the API server would refuse the IPAddressPool and its advertisement`, fix: 'use lower-case letters, digits and dashes, at most 63 characters, e.g. default' });
    else if (pool.name.length > POOL_NAME_MAX) report({ field, problem: `"${pool.name}" is ${pool.name.length} characters; with the "-fixed" pool MetalLbStack derives from it, it would exceed the 63 a name used as a label value may have`, fix: `use at most ${POOL_NAME_MAX} characters` });
    if (names.has(pool.name) || names.has(pool.name.replace(/-fixed$/, ''))) report({ field, problem: `pool "${pool.name}" is declared twice (or collides with the "-fixed" pool of another)`, fix: 'give each pool its own name, not ending in -fixed' });
    names.add(pool.name);
  }
  const peers = new Set<string>();
  for (const [i, peer] of (c.loadBalancer.bgpPeers ?? []).entries()) {
    const field = `loadBalancer.bgpPeers[${i}].name`;
    if (!isDnsLabel(peer.name)) report({ field, problem: `"${peer.name}" is not a DNS label, so the API server would refuse the BGPPeer`, fix: 'use lower-case letters, digits and dashes, e.g. tor-1' });
    if (peers.has(peer.name)) report({ field, problem: `peer "${peer.name}" is declared twice`, fix: 'give each peer its own name' });
    peers.add(peer.name);
  }
  for (const [i, stack] of (c.stacks ?? []).entries()) {
    const name = stack.stackName;
    if (!isDnsLabel(name)) report({ field: `stacks[${i}]`, problem: `stack name "${name}" is not a DNS label; it becomes a folder, an Application name and a label value`, fix: 'give the stack class a static stackName of lower-case letters, digits and dashes' });
    if (!Number.isInteger(stack.syncWave)) report({ field: `stacks[${i}]`, problem: `stack "${name}" has sync wave ${String(stack.syncWave)}, not an integer`, fix: 'give the stack class a static integer syncWave' });
  }
  if (c.monitoring?.namespace !== undefined && !isDnsLabel(c.monitoring.namespace)) {
    report({ field: 'monitoring.namespace', problem: `"${c.monitoring.namespace}" is not a namespace name, so the NetworkPolicies would name a namespace that cannot exist and refuse Prometheus`, fix: 'use the name of the namespace Prometheus runs in (lower-case letters, digits and dashes), e.g. monitoring' });
  }
  for (const [i, zone] of (c.dns.zones ?? []).entries()) {
    if (`${zone.name}.zone`.length > CONFIGMAP_KEY_MAX) {
      report({ field: `dns.zones[${i}].name`, problem: `"${zone.name}" is too long to be a ConfigMap key as ${zone.name}.zone`, fix: `use a zone name of at most ${CONFIGMAP_KEY_MAX - 5} characters` });
    }
  }
}

/**
 * The cluster DNS ClusterIP inside the Service range: not an address the range reserves. (Since the
 * ServiceCIDR allocator, kube-apiserver 1.36 starts with IPv4 /8 and IPv6 /64 ranges alike, so the
 * range's size is not limited here.)
 */
export function checkServiceRange(c: Cluster, report: ReportIssue): void {
  const range = parseCidr(c.podNetwork.serviceCidr);
  if (!range) return;
  const ip = parseIp(c.dns.serviceIP);
  if (!ip || ip.family !== range.family || ip.value < range.first || ip.value > range.last) return;
  const reserved: [bigint, string][] = [
    [range.first, 'the network address of the Service range, which the API server never hands out'],
    [range.first + 1n, `the first address of the Service range, which the \`kubernetes\` Service (the API server itself) holds`],
  ];
  if (range.family === 4) reserved.push([range.last, 'the broadcast address of the Service range, which the API server never hands out']);
  const hit = reserved.find(([value]) => value === ip.value);
  if (hit) {
    const free = range.first + 10n <= range.last - (range.family === 4 ? 1n : 0n) ? formatIp(range.family, range.first + 10n) : undefined;
    report({ field: 'dns.serviceIP', problem: `${c.dns.serviceIP} is ${hit[1]}, so the API server refuses the cluster DNS Service`, fix: free ? `use the kubelet's clusterDNS address, conventionally ${free}` : 'use a larger Service range and its tenth address' });
  }
}
