/**
 * A Kubernetes object as a manifest holds it: what synth writes to charts-out/, what the bootstrap
 * applies, and what the lab and the tests send to an API server and read back. The one object type
 * of the repository; fields beyond these are read with a cast where their shape matters.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** @deprecated The name before there was one object type: use KubeObject. */
export type ManifestObject = KubeObject;
