import type { Cluster } from '../../fleet/cluster';
import { contains, parsePoolAddresses } from '../../fleet/ip';

/** The annotation MetalLB reads for a Service's requested address(es). */
export const LOAD_BALANCER_IPS_ANNOTATION = 'metallb.io/loadBalancerIPs';

/**
 * Annotations that make MetalLB give a LoadBalancer Service exactly `ip`, checked against the
 * cluster's pools: MetalLB refuses an address outside every pool, so we refuse it first, at synth.
 */
export function fixedLoadBalancerIp(cluster: Cluster, ip: string): Record<string, string> {
  const ranges = cluster.loadBalancer.pools.flatMap((p) => p.addresses.map((a) => parsePoolAddresses(a)));
  if (!ranges.some((r) => r !== undefined && contains(r, ip))) {
    const pools = cluster.loadBalancer.pools.map((p) => `${p.name}: ${p.addresses.join(', ')}`).join('; ');
    throw new Error(`cluster "${cluster.name}": LoadBalancer IP ${ip} is outside every MetalLB pool (${pools}). Fix: pick an address inside a pool, or add a pool that contains it`);
  }
  return { [LOAD_BALANCER_IPS_ANNOTATION]: ip };
}
