import type { Construct } from 'constructs';
import { ClusterGateway } from '../constructs/coredns/cluster-gateway';
import { FleetStack, FleetStackProps } from './fleet-stack';

/** The gateway of a workload cluster. */
export class ClusterGatewayStack extends FleetStack {
  static readonly stackName = 'cluster-gateway';
  static readonly syncWave = 40;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, ClusterGatewayStack.stackName, props);
    new ClusterGateway(this, 'gateway', { cluster: props.cluster, tier: props.fleet.tierOf(props.cluster) });
  }
}
