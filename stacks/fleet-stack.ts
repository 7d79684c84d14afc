import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import type { FleetChart, FleetStackProps, SyncSettings } from '../fleet/stack-class';

export type { FleetStackProps, SyncSettings } from '../fleet/stack-class';

/**
 * Base of every stack: one cdk8s Chart = one folder `charts-out/<cluster>/<stackName>/` = one Argo CD
 * Application. Names are explicit (no hashes); objects set their own namespace, because cdk8s would
 * put a chart namespace on cluster-scoped objects too.
 */
export abstract class FleetStack extends Chart implements FleetChart {
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
