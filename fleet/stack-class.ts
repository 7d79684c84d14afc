import type { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IgnoreDifference } from '../constructs/argocd/application';
import type { Cluster } from './cluster';
import type { Fleet } from './fleet';

/** What every stack is built from: one cluster of the fleet, and the fleet for facts about the others. */
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

/** A synthesized stack as the fleet sees it: a Chart with its sync settings (stacks/FleetStack is one). */
export interface FleetChart extends Chart {
  readonly cluster: Cluster;
  readonly fleet: Fleet;
  readonly sync: SyncSettings;
}

/**
 * A stack type: a cdk8s Chart class that becomes one folder `charts-out/<cluster>/<stackName>/` and
 * one Argo CD Application. Clusters list these classes (not strings) in `stacks`.
 */
export interface StackClass {
  /** Folder and Application name, a DNS label. */
  readonly stackName: string;
  /** Argo CD sync wave of the stack's Application: lower waves are synced and healthy first. */
  readonly syncWave: number;
  new (scope: Construct, props: FleetStackProps): FleetChart;
}
