import type { ClusterRole } from '../fleet/cluster';
import type { StackClass } from '../fleet/stack-class';

/**
 * The stacks a cluster gets when its file lists none. Adding a stack to the product: write it in
 * stacks/, then add its class here (or to one cluster's `stacks`).
 */
export function defaultStacks(role: ClusterRole): StackClass[] {
  const common: StackClass[] = [];
  return role === 'management' ? [...common] : [...common];
}

export { ArgoCdAppsStack, ARGOCD_STACK_NAME } from './argocd-apps';
export { FleetStack } from './fleet-stack';
export type { FleetStackProps, SyncSettings } from './fleet-stack';
