import type { Cluster } from '../fleet/cluster';
import type { StackClass } from '../fleet/stack-class';

/**
 * The stacks a cluster gets when its file lists none, from its role and what it declares. Adding a
 * stack to the product: write it in stacks/, then add one line here (or to one cluster's `stacks`).
 */
export function defaultStacks(cluster: Cluster): StackClass[] {
  const wanted: [StackClass, boolean][] = [
    // [StackClass, whether this cluster gets it], one line per stack, in sync-wave order.
  ];
  void cluster;
  return wanted.filter(([, on]) => on).map(([stack]) => stack);
}

export { ArgoCdAppsStack, ARGOCD_STACK_NAME } from './argocd-apps';
export { FleetStack } from './fleet-stack';
export type { FleetStackProps, SyncSettings } from './fleet-stack';
