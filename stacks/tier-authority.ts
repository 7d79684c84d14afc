import type { Construct } from 'constructs';
import type { FanOutPlugin } from '../constructs/coredns/fleet-fanout';
import { CoreDnsServiceMonitor } from '../constructs/monitoring/monitors';
import { ClusterGateway } from '../constructs/coredns/cluster-gateway';
import { TierAuthority, TierAuthorityProps } from '../constructs/coredns/tier-authority';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import type { StackClass } from '../fleet/stack-class';
import { FleetStack, FleetStackProps } from './fleet-stack';
import { coreDnsIngressPolicy } from './network-policies';

export interface TierAuthorityStackProps extends FleetStackProps {
  /**
   * The plugin the authority fans out with.
   * @default DEFAULT_FAN_OUT_PLUGIN ('fleetfanout')
   */
  readonly fanOut?: FanOutPlugin;
}

/** TierAuthority props of an authority cluster: its tier's zone, every name server of the tier, every workload gateway. */
export function tierAuthorityPropsOf(cluster: Cluster, fleet: Fleet): TierAuthorityProps {
  const tier = fleet.tierOf(cluster);
  const servers = fleet.authoritiesOf(tier);
  const own = servers.find((s) => s.cluster === cluster);
  if (!own) throw new Error(`cluster "${cluster.name}": TierAuthorityStack needs dns.authorityIP (management cluster) or dns.secondaryAuthorityIP (workload cluster). Fix: set one, or remove the stack from the cluster's stacks`);
  const workloads = fleet.workloadsOf(tier);
  if (workloads.length === 0) throw new Error(`tier "${tier.name}" has no workload cluster to fan out to. Fix: add a workload cluster to the tier`);
  const gateways = workloads.map((g) => {
    if (!g.dns.gatewayIP) throw new Error(`cluster "${g.name}": the ${tier.name} authority fans out to it, but it has no dns.gatewayIP. Fix: set a fixed gateway IP`);
    return ClusterGateway.fromAddress(g.dns.gatewayIP);
  });
  return {
    zone: tier.zone,
    ttl: tier.ttl,
    ip: own.ip,
    nameServers: servers.map((s) => ({ nameServer: s.nameServer, ip: s.ip })),
    gateways,
    pools: cluster.loadBalancer.pools,
    clusterName: cluster.name,
  };
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
    const authority = new TierAuthority(this, 'authority', { ...tierAuthorityPropsOf(props.cluster, props.fleet), fanOut: props.fanOut });
    if (props.cluster.monitoring?.prometheusOperator) new CoreDnsServiceMonitor(this, 'monitor', { coredns: authority.coredns });
    coreDnsIngressPolicy(this, props.cluster, authority.coredns);
  }
}
