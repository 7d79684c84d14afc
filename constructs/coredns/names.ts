/** Ports and annotations every CoreDNS of fleetnet shares. */

/**
 * Port CoreDNS listens on inside the pod. Services map 53 to it, so the container needs no
 * NET_BIND_SERVICE capability and runs under Pod Security `restricted`.
 */
export const COREDNS_CONTAINER_PORT = 1053;
/** Port of the `health` endpoint (`/health`). */
export const HEALTH_PORT = 8080;
/** Port of the `ready` endpoint (`/ready`). */
export const READY_PORT = 8181;
/** Port of the `prometheus` endpoint (`/metrics`). */
export const METRICS_PORT = 9153;
/** The user of our CoreDNS image (distroless nonroot). */
export const COREDNS_USER = 65532;

/** Argo CD sync option that makes it PUT the whole object instead of applying a patch. */
export const REPLACE_ON_SYNC: Readonly<Record<string, string>> = { 'argocd.argoproj.io/sync-options': 'Replace=true' };
