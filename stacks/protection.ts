import { ApiObject } from 'cdk8s';
import { addSyncOptions, SURVIVES_MISTAKES } from '../constructs/argocd/sync-options';
import type { FleetStack } from './fleet-stack';

/**
 * Kinds whose deletion destroys more than the object: a Namespace takes every object in it, a CRD
 * every custom resource of its kind, an address pool the addresses of every Service that has one
 * (MetalLB withdraws them).
 */
const ALWAYS_PROTECTED = new Set(['Namespace', 'CustomResourceDefinition', 'IPAddressPool']);

/**
 * Marks the objects of a stack that must survive a mistake (an Application deleted, a folder emptied
 * by a bad commit) with Argo CD's `Delete=false` and `Prune=confirm`. The objects keep running; a
 * person removes them on purpose (`kubectl delete`, or confirming the prune in Argo CD).
 */
export function protectFromMistakes(stack: FleetStack): void {
  for (const object of stack.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
    if (stack.sync.protect || ALWAYS_PROTECTED.has(object.kind)) addSyncOptions(object, SURVIVES_MISTAKES);
  }
}
