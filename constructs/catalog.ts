/**
 * The version catalog: every image, chart and Go module version fleetnet pins, in one place.
 *
 * Each entry sits on one line under a `// renovate:` comment that tells Renovate's custom regex
 * manager (see renovate.json) where to look the version up. Nothing else in the repository pins a
 * version: constructs read images from here, and the test tool builds (tools/) read Go module
 * versions from here. The CoreDNS distribution is the one exception by design: its Go modules are
 * pinned in images/coredns/go.mod, which Renovate's gomod manager reads.
 */

/** A container image: repository and tag. */
export interface ImageVersion {
  readonly image: string;
  readonly version: string;
}

/** A Go module built from source for the tests (never shipped to a cluster). */
export interface GoModuleVersion {
  readonly module: string;
  readonly version: string;
}

/** A Helm chart installed by the bootstrap. */
export interface ChartVersion {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/** Images the synthesized manifests run. */
export const images = {
  // Our CoreDNS build (images/coredns: stock plugins + fanout + k8s_gateway); the tag follows CoreDNS.
  // renovate: datasource=docker depName=ghcr.io/fleetnet/coredns
  coredns: { image: 'ghcr.io/fleetnet/coredns', version: '1.14.7' },
  // renovate: datasource=docker depName=quay.io/metallb/controller
  metallbController: { image: 'quay.io/metallb/controller', version: 'v0.16.1' },
  // renovate: datasource=docker depName=quay.io/metallb/speaker
  metallbSpeaker: { image: 'quay.io/metallb/speaker', version: 'v0.16.1' },
} as const satisfies Record<string, ImageVersion>;

/** Go modules the tests build to run the real programs. */
export const goModules = {
  // renovate: datasource=go depName=k8s.io/kubernetes
  kubernetes: { module: 'k8s.io/kubernetes', version: 'v1.36.3' },
  // renovate: datasource=go depName=go.etcd.io/etcd/server/v3
  etcd: { module: 'go.etcd.io/etcd/server/v3', version: 'v3.6.16' },
} as const satisfies Record<string, GoModuleVersion>;

/** Helm charts the bootstrap installs. */
export const charts = {} as const satisfies Record<string, ChartVersion>;

/** An image reference `repository:tag` for a catalog entry. */
export function imageRef(entry: ImageVersion): string {
  return `${entry.image}:${entry.version}`;
}
