import { Construct } from 'constructs';
import type { Cluster } from '../../fleet/cluster';
import type { Tier } from '../../fleet/fleet';
import { fixedLoadBalancerIp } from '../metallb/load-balancer-ip';
import { PlatformNamespace } from '../namespace/namespace';
import { CoreDns } from './coredns';
import { ApexNameServer, apexZoneText, authorityCorefile } from './corefiles';
import type { FanOutPlugin } from './fleet-fanout';

export interface TierAuthorityProps {
  /** The cluster it runs on. */
  readonly cluster: Cluster;
  /**
   * Fixed MetalLB address of its Service.
   * @default cluster.dns.authorityIP
   */
  readonly address?: string;
  /**
   * Every name server of the tier zone (this one among them), for the apex NS and glue records; each
   * authority of a tier serves the same apex (see Fleet.authoritiesOf).
   * @default - this authority alone, as `ns1.<zone>`
   */
  readonly nameServers?: readonly ApexNameServer[];
  /** The tier whose zone it serves. */
  readonly tier: Tier;
  /** The workload clusters to fan out to; each one's `dns.gatewayIP` is read from it. */
  readonly gateways: readonly Cluster[];
  /**
   * Namespace to run in (created with Pod Security `restricted`).
   * @default 'dns-authority'
   */
  readonly namespace?: string;
  /** @default 2 */
  readonly replicas?: number;
  /**
   * The plugin that fans out to the gateways: `fleetfanout` (ours) or `fanout`.
   * @default DEFAULT_FAN_OUT_PLUGIN ('fleetfanout': less CPU per query, no 2 s NXDOMAIN while a
   * cluster is down, lost datagrams resent; bench/RESULTS.md)
   */
  readonly fanOut?: FanOutPlugin;
}

/**
 * The tier authority: CoreDNS with a fan-out plugin, authoritative for the tier zone. Corporate DNS delegates
 * the zone to it; it asks every gateway of the tier at once and returns the first positive answer.
 * It needs no Kubernetes API access, so its pods get no token.
 */
export class TierAuthority extends Construct {
  static readonly NAME = 'authority';
  readonly coredns: CoreDns;

  constructor(scope: Construct, id: string, props: TierAuthorityProps) {
    super(scope, id);
    const { cluster, tier } = props;
    const ip = props.address ?? cluster.dns.authorityIP;
    if (!ip) throw new Error(`cluster "${cluster.name}": a TierAuthority needs dns.authorityIP. Fix: give the management cluster a fixed authority IP inside one of its pools`);
    const targets = props.gateways.map((g) => {
      if (!g.dns.gatewayIP) throw new Error(`cluster "${g.name}": the ${tier.name} authority fans out to it, but it has no dns.gatewayIP. Fix: set a fixed gateway IP`);
      return g.dns.gatewayIP;
    });
    if (targets.length === 0) throw new Error(`tier "${tier.name}" has no workload cluster to fan out to. Fix: add a workload cluster to the tier`);
    const namespace = new PlatformNamespace(this, 'namespace', { name: props.namespace ?? 'dns-authority', podSecurity: 'restricted' });
    const zoneFile = `${tier.zone}.db`;
    this.coredns = new CoreDns(this, 'coredns', {
      name: TierAuthority.NAME,
      namespace: namespace.name,
      corefile: authorityCorefile({ zone: tier.zone, gateways: targets, apexZoneFile: `/etc/coredns/${zoneFile}`, ttl: tier.ttl, fanOut: props.fanOut }),
      files: { [zoneFile]: apexZoneText(tier.zone, props.nameServers ?? ip, tier.ttl) },
      service: { type: 'LoadBalancer', name: TierAuthority.NAME, annotations: fixedLoadBalancerIp(cluster, ip) },
      replicas: props.replicas,
    });
  }
}
