import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { KubeObject } from '../synth/kube-object';

type ObjectResourceClass = new (name: string, args: KubeObject, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The typed @pulumi/kubernetes class of a built-in kind (`apps/v1` Deployment → k8s.apps.v1.Deployment),
 * so the provider applies it with the kind's own await logic; undefined for kinds a CRD defines.
 * Built-in groups are the core group, dot-less groups (apps, batch, policy) and `<x>.k8s.io`; the
 * SDK's module is the group's first label (rbac.authorization.k8s.io → rbac).
 */
export function builtinClass(apiVersion: string, kind: string): ObjectResourceClass | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group !== '' && group.includes('.') && !group.endsWith('.k8s.io')) return undefined;
  const module = group === '' ? 'core' : group.split('.')[0];
  const sdk = k8s as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const found = sdk[module]?.[version]?.[kind];
  return typeof found === 'function' ? (found as ObjectResourceClass) : undefined;
}

/** The Pulumi resource name of an object: `<namespace>/<name>`, or `<name>` for cluster-scoped ones (the type is in the URN). */
export function resourceName(object: KubeObject): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

/** The provider annotation that wins server-side apply conflicts with other field managers for this object. */
export const PATCH_FORCE_ANNOTATION = 'pulumi.com/patchForce';
/** The provider annotation that makes it return as soon as the API server accepted the object. */
export const SKIP_AWAIT_ANNOTATION = 'pulumi.com/skipAwait';

/**
 * Kinds whose readiness needs running Pods (the provider waits for rollout, or for a Service's endpoints
 * and load-balancer address). Only these skip the wait when `awaitWorkloads` is off; every other kind
 * (Namespaces, CRDs, their deletion) is still awaited.
 */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'Service']);

export interface ObjectResourceOptions {
  /**
   * Wait for workloads to be ready before dependents are applied, as Argo CD waits for a wave to be
   * healthy. Off only against an API server without nodes (the control-plane tests), where no Pod can run.
   * @default true
   */
  readonly awaitWorkloads?: boolean;
}

/**
 * One synthesized object as a Pulumi resource, applied as written plus the provider's annotations:
 * `pulumi.com/patchForce`, so the apply takes over fields another manager set (kubeadm's kube-system
 * objects), as Argo CD's server-side apply does. (Provider v4.25.0 has no `enablePatchForce` argument;
 * it always adopts an existing object on a server-side create.)
 */
export function objectResource(object: KubeObject, opts: pulumi.CustomResourceOptions, options: ObjectResourceOptions = {}): pulumi.CustomResource {
  const skipAwait = options.awaitWorkloads === false && WORKLOAD_KINDS.has(object.kind);
  const annotated: KubeObject = {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: { ...object.metadata.annotations, [PATCH_FORCE_ANNOTATION]: 'true', ...(skipAwait ? { [SKIP_AWAIT_ANNOTATION]: 'true' } : {}) },
    },
  };
  const cls = builtinClass(object.apiVersion, object.kind);
  if (cls) return new cls(resourceName(object), annotated, opts);
  return new k8s.apiextensions.CustomResource(resourceName(object), annotated as k8s.apiextensions.CustomResourceArgs, opts);
}
