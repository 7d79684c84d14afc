import type { Cluster } from '../fleet/cluster';
import type { StackClass } from '../fleet/stack-class';
import { ClusterDnsStack } from './cluster-dns';
import { CniStack } from './cni';
import { ClusterGatewayStack } from './cluster-gateway';
import { MetalLbStack } from './metallb';
import { MizarStack } from './mizar';
import { PowerDnsStack } from './powerdns';
import { TierAuthorityStack } from './tier-authority';

/**
 * The stacks a cluster gets when its file lists none, from its role and what it declares. Adding a
 * stack to the product: write it in stacks/, then add one line here (or to one cluster's `stacks`).
 */
export function defaultStacks(cluster: Cluster): StackClass[] {
  const wanted: [StackClass, boolean][] = [
    // [StackClass, whether this cluster gets it], one line per stack, in sync-wave order.
    // Opt-in: one conflist for every node only suits some clusters (see CniProps), and Mizar owns net.d.
    [CniStack, cluster.podNetwork.cni !== undefined],
    [MizarStack, cluster.podNetwork.mizar !== undefined],
    [MetalLbStack, true],
    [ClusterDnsStack, true],
    [ClusterGatewayStack, cluster.role === 'workload'],
    [TierAuthorityStack, cluster.role === 'management' || cluster.dns.secondaryAuthorityIP !== undefined],
    [PowerDnsStack, cluster.dns.powerdnsIP !== undefined],
  ];
  return wanted.filter(([, on]) => on).map(([stack]) => stack);
}

export { ArgoCdAppsStack, ARGOCD_STACK_NAME } from './argocd-apps';
export { FleetStack } from './fleet-stack';
export { ClusterDnsStack } from './cluster-dns';
export { CniStack } from './cni';
export { MizarStack } from './mizar';
export { MetalLbStack } from './metallb';
export { ClusterGatewayStack } from './cluster-gateway';
export { TierAuthorityStack } from './tier-authority';
export { PowerDnsStack } from './powerdns';
export type { FleetStackProps, SyncSettings } from './fleet-stack';
export type { TierAuthorityStackProps } from './tier-authority';
