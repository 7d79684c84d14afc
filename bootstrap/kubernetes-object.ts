import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { Manifest } from './charts-out';

type ObjectResourceClass = new (name: string, args: Manifest, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

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
export function resourceName(object: Manifest): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

/** One synthesized object as a Pulumi resource, applied as written. */
export function objectResource(object: Manifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const cls = builtinClass(object.apiVersion, object.kind);
  if (cls) return new cls(resourceName(object), object, opts);
  return new k8s.apiextensions.CustomResource(resourceName(object), object as k8s.apiextensions.CustomResourceArgs, opts);
}
