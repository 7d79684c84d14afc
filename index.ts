/**
 * fleetnet: typed cdk8s constructs for the networking and DNS stack of a fleet of Kubernetes
 * clusters. Import constructs to use one piece in your own cdk8s app, or the fleet model and
 * `synthesizeFleet` to render whole clusters for Argo CD.
 */
export * from './fleet/cluster';
export * from './fleet/fleet';
export * from './fleet/errors';
export { validateFleet, fleetIssues, FANOUT_MAX_UPSTREAMS } from './fleet/validate';
export type { StackClass } from './fleet/stack-class';
export * from './constructs/catalog';
export * from './constructs/common/rbac';
export * from './constructs/namespace/namespace';
export * from './constructs/argocd/application';
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
export { renderCluster } from './synth/render';
export { fleet as exampleFleet } from './clusters/index';
