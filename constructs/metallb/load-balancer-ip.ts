import { contains, parseIp, parsePoolAddresses } from '../common/ip';

/**
 * The annotation MetalLB reads for a Service's requested address(es): one address, or one IPv4 and one
 * IPv6 address separated by a comma for a dual-stack Service. It replaces the deprecated
 * `metallb.universe.tf/loadBalancerIPs`, and a Service must not also set `spec.loadBalancerIP`.
 */
export const LOAD_BALANCER_IPS_ANNOTATION = 'metallb.io/loadBalancerIPs';

/** The MetalLB pools an address is checked against, and whose they are (for messages). */
export interface LoadBalancerPoolOwner {
  /** Named in messages: `cluster "<name>"`. */
  readonly name: string;
  /**
   * The pools a fixed address must lie in. A cluster of the fleet has this shape already.
   * @default - no pool check (only that each address is one)
   */
  readonly loadBalancer?: { readonly pools: readonly { readonly name: string; readonly addresses: readonly string[] }[] };
}

/** The pool of `owner` that holds `ip`, if any. */
export function poolContaining(owner: LoadBalancerPoolOwner, ip: string): string | undefined {
  return (owner.loadBalancer?.pools ?? []).find((p) => p.addresses.some((a) => {
    const range = parsePoolAddresses(a);
    return range !== undefined && contains(range, ip);
  }))?.name;
}

/**
 * Annotations that make MetalLB give a LoadBalancer Service of `cluster` exactly `ip` (or, dual stack,
 * one address of each family). MetalLB refuses an address outside every pool of the cluster and leaves
 * the Service without one, so this refuses it first, at synthesis, naming cluster, address and pools.
 * Any pool may hold it, including one with `autoAssign: false` kept for fixed addresses.
 *
 * ```ts
 * metadata: { annotations: fixedLoadBalancerIp(cluster, '10.10.10.2') }
 * ```
 */
export function fixedLoadBalancerIp(cluster: LoadBalancerPoolOwner, ip: string | readonly string[]): Record<string, string> {
  const ips = typeof ip === 'string' ? [ip] : [...ip];
  const where = `cluster "${cluster.name}"`;
  const families = ips.map((a) => {
    const parsed = parseIp(a);
    if (!parsed) throw new Error(`${where}: LoadBalancer IP "${a}" is not an IP address. Fix: write a single address such as 10.10.10.2`);
    return parsed.family;
  });
  if (ips.length === 0 || ips.length > 2 || (ips.length === 2 && families[0] === families[1])) {
    throw new Error(`${where}: LoadBalancer IPs [${ips.join(', ')}]: MetalLB takes one address, or one IPv4 and one IPv6 address for a dual-stack Service. Fix: pass one address, or one of each family`);
  }
  for (const a of cluster.loadBalancer ? ips : []) {
    if (poolContaining(cluster, a) === undefined) {
      const pools = cluster.loadBalancer!.pools.map((p) => `"${p.name}" ${p.addresses.join(', ')}`).join('; ');
      throw new Error(`${where}: LoadBalancer IP ${a} is outside every MetalLB pool of the cluster (${pools}), so MetalLB would refuse it. Fix: pick an address inside a pool, or add a pool that contains it`);
    }
  }
  return { [LOAD_BALANCER_IPS_ANNOTATION]: ips.join(',') };
}
