import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import type { IgnoreDifference } from '../constructs/argocd/application';

export interface FleetStackProps {
  /** The cluster this stack is synthesized for. */
  readonly cluster: Cluster;
  /** The whole fleet, for facts about other clusters (fanout targets, tier authority, ...). */
  readonly fleet: Fleet;
}

/** How the stack's Argo CD Application syncs it. */
export interface SyncSettings {
  /**
   * Apply with server-side apply: needed for objects whose last-applied annotation would exceed
   * 256 KiB (large CRDs), and for fields shared with controllers.
   * @default false
   */
  readonly serverSideApply?: boolean;
  /**
   * Fields a controller rewrites after the sync (webhook `caBundle`), which Argo CD must not revert.
   * @default []
   */
  readonly ignoreDifferences?: readonly IgnoreDifference[];
  /**
   * Every object of the stack survives mistakes (`Delete=false`, `Prune=confirm`, see
   * protectFromMistakes): for stacks whose loss is an outage of the whole cluster, such as its DNS.
   * Namespaces, CRDs and MetalLB address pools are protected in every stack regardless.
   * @default false
   */
  readonly protect?: boolean;
}

/**
 * Base of every stack: one cdk8s Chart = one folder `charts-out/<cluster>/<stackName>/` = one Argo CD
 * Application. Names are explicit (no hashes); objects set their own namespace, because cdk8s would
 * put a chart namespace on cluster-scoped objects too.
 */
export abstract class FleetStack extends Chart {
  readonly cluster: Cluster;
  readonly fleet: Fleet;
  /** Sync settings for this stack's Application; subclasses override as needed. */
  readonly sync: SyncSettings = {};

  constructor(scope: Construct, stackName: string, props: FleetStackProps) {
    super(scope, stackName, {
      disableResourceNameHashes: true,
      labels: { 'app.kubernetes.io/part-of': 'fleetnet', 'fleetnet.io/stack': stackName },
    });
    this.cluster = props.cluster;
    this.fleet = props.fleet;
  }
}
