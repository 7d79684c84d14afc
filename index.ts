/**
 * fleetnet: typed cdk8s constructs for the networking and DNS stack of a fleet of Kubernetes
 * clusters. Import constructs to use one piece in your own cdk8s app (plain props, no fleet), or the
 * fleet model and `synthesizeFleet` to render whole clusters for Argo CD. Layers, each importing only
 * the ones before it: constructs (library) <- fleet (model, validation) <- stacks (fleet cluster to
 * construct props) <- synth.
 */
export * from './fleet/cluster';
export * from './fleet/fleet';
export * from './fleet/errors';
export { validateFleet, fleetIssues, FANOUT_MAX_UPSTREAMS } from './fleet/validate';
export type { FleetChart, FleetStackProps, StackClass, SyncSettings } from './fleet/stack-class';
export * from './constructs/catalog';
export * from './constructs/common/index';
export * from './constructs/namespace/index';
export * from './constructs/argocd/index';
export * from './constructs/monitoring/index';
export * from './constructs/network-policy/index';
export * from './constructs/coredns/index';
export * from './constructs/metallb/index';
export * from './constructs/mizar/index';
export * from './constructs/cni/index';
export * from './constructs/zones/index';
export * from './constructs/external-dns/index';
export * from './constructs/powerdns/index';
export * from './stacks/index';
export { synthesizeFleet } from './synth/synthesize';
export type { SynthesizeOptions } from './synth/synthesize';
export type { ClusterChange, WriteResult } from './synth/write';
export { renderCluster } from './synth/render';
export type { ManifestObject, RenderedCluster, RenderedStack } from './synth/render';
