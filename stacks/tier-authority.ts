import type { Construct } from 'constructs';
import type { FanOutPlugin } from '../constructs/coredns/fleet-fanout';
import { CoreDnsServiceMonitor } from '../constructs/monitoring/monitors';
import { TierAuthority } from '../constructs/coredns/tier-authority';
import type { StackClass } from '../fleet/stack-class';
import { FleetStack, FleetStackProps } from './fleet-stack';

export interface TierAuthorityStackProps extends FleetStackProps {
  /**
   * The plugin the authority fans out with.
   * @default DEFAULT_FAN_OUT_PLUGIN ('fleetfanout')
   */
  readonly fanOut?: FanOutPlugin;
}

/**
 * An authority of a tier: on its management cluster, and on every workload cluster of the tier with
 * `dns.secondaryAuthorityIP`. Each fans out to every workload cluster of the tier and serves the same
 * apex, with one NS and glue per authority.
 */
export class TierAuthorityStack extends FleetStack {
  static readonly stackName = 'tier-authority';
  static readonly syncWave = 40;

  /**
   * This stack with options, for a cluster's `stacks` list, e.g. the external fanout plugin:
   * `stacks: [MetalLbStack, ClusterDnsStack, TierAuthorityStack.with({ fanOut: 'fanout' })]`.
   */
  static with(options: Pick<TierAuthorityStackProps, 'fanOut'>): StackClass {
    return class extends TierAuthorityStack {
      constructor(scope: Construct, props: FleetStackProps) {
        super(scope, { ...props, ...options });
      }
    };
  }

  constructor(scope: Construct, props: TierAuthorityStackProps) {
    super(scope, TierAuthorityStack.stackName, props);
    const tier = props.fleet.tierOf(props.cluster);
    const servers = props.fleet.authoritiesOf(tier);
    const own = servers.find((s) => s.cluster === props.cluster);
    if (!own) throw new Error(`cluster "${props.cluster.name}": TierAuthorityStack needs dns.authorityIP (management cluster) or dns.secondaryAuthorityIP (workload cluster). Fix: set one, or remove the stack from the cluster's stacks`);
    const authority = new TierAuthority(this, 'authority', {
      cluster: props.cluster,
      tier,
      address: own.ip,
      nameServers: servers.map((s) => ({ nameServer: s.nameServer, ip: s.ip })),
      gateways: props.fleet.workloadsOf(tier),
      fanOut: props.fanOut,
    });
    if (props.cluster.monitoring?.prometheusOperator) new CoreDnsServiceMonitor(this, 'monitor', { coredns: authority.coredns });
  }
}
