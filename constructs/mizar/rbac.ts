/**
 * What Mizar v0.91 calls on the API server, as RBAC rules. Derived from the source (CentaurusInfra/
 * mizar at tag v0.91) and from kopf 1.35, the framework the operator image runs; upstream instead
 * binds both pods to cluster-admin. test/mizar proves each call is allowed and neighbours are denied.
 */

import type { RbacRule } from '../common/rbac';
import { MIZAR_GROUP } from './names';

/** The plurals of the six mizar.com kinds. */
export const MIZAR_PLURALS = ['vpcs', 'subnets', 'dividers', 'bouncers', 'droplets', 'endpoints'] as const;

/** Cluster-wide rules of the operator (ClusterRole `mizar-operator`). */
export const OPERATOR_CLUSTER_RULES: readonly RbacRule[] = [
  // kopf watches every resource with a handler across all namespaces (`kopf run` without --namespace).
  { apiGroups: [MIZAR_GROUP], resources: [...MIZAR_PLURALS], verbs: ['list', 'watch'] },
  // Handlers on pods, nodes, namespaces (workflows/builtins/*/triggers.py): kopf watches them and
  // patches its finalizer and progress annotations onto them; the workflows list pods and namespaces
  // (common.py: list_pod_for_all_namespaces, list_namespace).
  { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['list', 'watch', 'patch'] },
  // Services and (annotated) Endpoints: kopf handlers as above; the endpoints operator reads both
  // (read_namespaced_service, read_namespaced_endpoints) and annotates Endpoints (patch_namespaced_endpoints).
  { apiGroups: [''], resources: ['services', 'endpoints'], verbs: ['get', 'list', 'watch', 'patch'] },
  // kopf 1.35 writes handler progress to `.status.kopf` through the status subresource of the kinds
  // that have one (kopf/_cogs/clients/patching.py); Mizar retries handlers often (retries=240).
  { apiGroups: [''], resources: ['pods/status', 'services/status', 'nodes/status', 'namespaces/status'], verbs: ['patch'] },
  // NetworkPolicy handlers; the policy operator reads the policy (get_namespaced_custom_object).
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch', 'patch'] },
  // kopf posts an Event per handler outcome, in the object's namespace (kopf/_cogs/clients/events.py).
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
  // kopf's resource observer lists and watches CRDs to notice Mizar's kinds (re)appearing.
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['list', 'watch'] },
];

/**
 * The operator's rules in namespace `default`, where it keeps every Mizar object (common.py:
 * kube_create_obj gets then creates, kube_update_obj gets then patches, kube_delete_obj deletes;
 * kopf patches its own state onto them).
 */
export const OPERATOR_DEFAULT_NAMESPACE_RULES: readonly RbacRule[] = [
  { apiGroups: [MIZAR_GROUP], resources: [...MIZAR_PLURALS], verbs: ['get', 'create', 'patch', 'delete'] },
];

/** At every start the operator reads kube-system/system-source to tell Arktos from Kubernetes (operator.py). */
export const OPERATOR_KUBE_SYSTEM_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['configmaps'], resourceNames: ['system-source'], verbs: ['get'] },
];

/**
 * The daemon calls nothing on the API server (mizar/daemon/*.py: gRPC server, host commands through
 * nsenter), so its ServiceAccount has no rules and no token.
 */
export const DAEMON_RULES: readonly RbacRule[] = [];
