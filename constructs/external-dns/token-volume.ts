import type { k8s } from 'cdk8s-plus-27';

/** Where client-go looks for the in-cluster token, CA and namespace. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The pod's ServiceAccount token as a volume, for a pod that turns automounting off so that only the
 * container that talks to the API server mounts it (the same three files the automount provides).
 */
export function serviceAccountTokenVolume(name: string): k8s.Volume {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}
