import type { Construct } from 'constructs';
import { ClusterGateway } from '../constructs/coredns/cluster-gateway';
import { CoreDnsServiceMonitor } from '../constructs/monitoring/monitors';
import { FleetStack, FleetStackProps } from './fleet-stack';

/** The gateway of a workload cluster. */
export class ClusterGatewayStack extends FleetStack {
  static readonly stackName = 'cluster-gateway';
  static readonly syncWave = 40;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, ClusterGatewayStack.stackName, props);
    const gateway = new ClusterGateway(this, 'gateway', { cluster: props.cluster, tier: props.fleet.tierOf(props.cluster) });
    if (props.cluster.monitoring?.prometheusOperator) new CoreDnsServiceMonitor(this, 'monitor', { coredns: gateway.coredns });
  }
}
