import type { Construct } from 'constructs';
import { TierAuthority } from '../constructs/coredns/tier-authority';
import { FleetStack, FleetStackProps } from './fleet-stack';

/** The authority of a tier, on its management cluster; fans out to every workload cluster of the tier. */
export class TierAuthorityStack extends FleetStack {
  static readonly stackName = 'tier-authority';
  static readonly syncWave = 40;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, TierAuthorityStack.stackName, props);
    const tier = props.fleet.tierOf(props.cluster);
    new TierAuthority(this, 'authority', { cluster: props.cluster, tier, gateways: props.fleet.workloadsOf(tier) });
  }
}
