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
  /** The release a pseudo-`version` is the commit of, when the module proxy serves no tagged version. */
  readonly release?: string;
}

/** A Helm chart installed by the bootstrap. */
export interface ChartVersion {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/** Images the synthesized manifests run. */
export const images = {
  // Our CoreDNS build (images/coredns: stock plugins + fanout + k8s_gateway + our fleetfanout); the tag is CoreDNS's version plus our build revision, one tag per build (images/coredns/tag.txt).
  // renovate: datasource=docker depName=ghcr.io/fleetnet/coredns
  coredns: { image: 'ghcr.io/fleetnet/coredns', version: '1.14.7-fleetnet.1' },
  // Keep in step with goModules.metallb (the tests build and run that controller version).
  // renovate: datasource=docker depName=quay.io/metallb/controller
  metallbController: { image: 'quay.io/metallb/controller', version: 'v0.16.1' },
  // renovate: datasource=docker depName=quay.io/metallb/speaker
  metallbSpeaker: { image: 'quay.io/metallb/speaker', version: 'v0.16.1' },
  // Mizar v0.91, the last release (2022-03); node-init installs mizarcni and the Mizar tree on the host.
  // renovate: datasource=docker depName=docker.io/mizarnet/mizar
  mizarNodeInit: { image: 'docker.io/mizarnet/mizar', version: '0.91' },
  // renovate: datasource=docker depName=docker.io/mizarnet/dropletd
  mizarDaemon: { image: 'docker.io/mizarnet/dropletd', version: '0.91' },
  // renovate: datasource=docker depName=docker.io/mizarnet/endpointopr
  mizarOperator: { image: 'docker.io/mizarnet/endpointopr', version: '0.91' },
  // The shell that writes CNI network configurations onto each node (constructs/cni).
  // renovate: datasource=docker depName=docker.io/library/busybox
  busybox: { image: 'docker.io/library/busybox', version: '1.37.0' },
  // PowerDNS Authoritative 4.9 (the official image; pdns_server, pdnsutil and sqlite3 under /usr/local, user pdns 953).
  // renovate: datasource=docker depName=docker.io/powerdns/pdns-auth-49
  powerdns: { image: 'docker.io/powerdns/pdns-auth-49', version: '4.9.17' },
  // Keep in step with goModules.externalDnsModule (the tests build and run that version).
  // renovate: datasource=docker depName=registry.k8s.io/external-dns/external-dns
  externalDns: { image: 'registry.k8s.io/external-dns/external-dns', version: 'v0.22.0' },
  // The sandbox ("pause") image of the lab's containerd; no manifest names it. tools/images builds it from
  // our own images/pause program under this reference (the tag kubelet and containerd expect).
  // renovate: datasource=docker depName=registry.k8s.io/pause
  pause: { image: 'registry.k8s.io/pause', version: '3.10' },
} as const satisfies Record<string, ImageVersion>;

/** Go modules the tests build to run the real programs. */
export const goModules = {
  // renovate: datasource=go depName=k8s.io/kubernetes
  kubernetes: { module: 'k8s.io/kubernetes', version: 'v1.36.3' },
  // renovate: datasource=go depName=go.etcd.io/etcd/server/v3
  etcd: { module: 'go.etcd.io/etcd/server/v3', version: 'v3.6.16' },
  // The Pulumi CLI (engine), built for the real `pulumi preview/up/destroy` of bootstrap/ (tools/pulumi).
  // renovate: datasource=go depName=github.com/pulumi/pulumi/pkg/v3
  pulumiCli: { module: 'github.com/pulumi/pulumi/pkg/v3', version: 'v3.274.1' },
  // The Kubernetes provider plugin for bootstrap/. The proxy serves only this pseudo-version, the commit
  // of tag v4.25.0; `release` must equal @pulumi/kubernetes in package.json (tools/pulumi/build.sh checks).
  // renovate: datasource=go depName=github.com/pulumi/pulumi-kubernetes/provider/v4
  pulumiKubernetesProvider: { module: 'github.com/pulumi/pulumi-kubernetes/provider/v4', version: 'v4.0.0-20260115033456-f47bc2d6f199', release: '4.25.0' },
  // cnitool (in this module) runs the synthesized CNI configuration against the reference plugins.
  // renovate: datasource=go depName=github.com/containernetworking/cni
  cni: { module: 'github.com/containernetworking/cni', version: 'v1.3.1' },
  // external-dns, built for the PowerDNS tests; the same version as images.externalDns.
  // renovate: datasource=go depName=sigs.k8s.io/external-dns
  externalDnsModule: { module: 'sigs.k8s.io/external-dns', version: 'v0.22.0' },
  // The MetalLB controller, built for the allocation tests; the same version as images.metallbController.
  // renovate: datasource=go depName=go.universe.tf/metallb
  metallb: { module: 'go.universe.tf/metallb', version: 'v0.16.1' },
  // go-containerregistry, for tools/images/imagetar: writes the lab's image tarballs without a registry or engine.
  // renovate: datasource=go depName=github.com/google/go-containerregistry
  goContainerregistry: { module: 'github.com/google/go-containerregistry', version: 'v0.22.1' },
  // The lab's container runtime (containerd, its runc shim and ctr); runc itself is Debian's.
  // renovate: datasource=go depName=github.com/containerd/containerd/v2
  containerd: { module: 'github.com/containerd/containerd/v2', version: 'v2.4.2' },
  // Argo CD's application-controller and repo-server, built for the lab (lab/argocd) to sync charts-out
  // from Git for real. v3.5.x cannot be built from the module proxy; this is the oldest line that can.
  // renovate: datasource=go depName=github.com/argoproj/argo-cd/v3
  argocdModule: { module: 'github.com/argoproj/argo-cd/v3', version: 'v3.6.1' },
  // The Prometheus Operator's CRDs (example/prometheus-operator-crd of the module), which the monitor test
  // creates in a real kube-apiserver to check the ServiceMonitor/PodMonitor we render against their schema.
  // Test-only, nothing is built; the proxy serves v0.85.0 as the only version of the root module here.
  // renovate: datasource=go depName=github.com/prometheus-operator/prometheus-operator
  prometheusOperator: { module: 'github.com/prometheus-operator/prometheus-operator', version: 'v0.85.0' },
  // kube-router's NetworkPolicy controller (firewall only), the lab's policy enforcer for the NetworkPolicy
  // test. Lab/test-only, never shipped in charts-out: this release has published security advisories. The
  // proxy serves v2.1.0 as the newest v2 tag here.
  // renovate: datasource=go depName=github.com/cloudnativelabs/kube-router/v2
  kubeRouter: { module: 'github.com/cloudnativelabs/kube-router/v2', version: 'v2.1.0' },
} as const satisfies Record<string, GoModuleVersion>;

/**
 * Helm charts the bootstrap installs: none today. Argo CD comes from the install manifest of
 * goModules.argocdModule (bootstrap/argocd-manifest.ts), so no chart repository is needed.
 */
export const charts: Readonly<Record<string, ChartVersion>> = {};

/** An image reference `repository:tag` for a catalog entry. */
export function imageRef(entry: ImageVersion): string {
  return `${entry.image}:${entry.version}`;
}
