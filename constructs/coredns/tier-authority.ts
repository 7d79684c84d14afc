import { Construct } from 'constructs';
import { throwIfIssues, type PropIssue } from '../common/prop-issues';
import { fixedLoadBalancerIp } from '../metallb/load-balancer-ip';
import { DEFAULT_TIER_TTL, IGateway } from './cluster-gateway';
import { CoreDns } from './coredns';
import { ApexNameServer, apexZoneText, authorityCorefile } from './corefiles';
import { CoreDnsPodProps, dnsNamespace, DnsNamespaceProps, FixedAddressPoolProps, ipIssues, poolOwner, replicaIssues, tierZoneIssues } from './dns-service-props';
import type { FanOutPlugin } from './fleet-fanout';

export interface TierAuthorityProps extends DnsNamespaceProps, FixedAddressPoolProps, CoreDnsPodProps {
  /** The tier zone it is authoritative for, e.g. `prod.platform.example`. */
  readonly zone: string;
  /** The fixed MetalLB address of its Service, the delegation target of the zone. */
  readonly ip: string;
  /**
   * The gateways to fan out to: ClusterGateway constructs, or `ClusterGateway.fromAddress(ip)` for
   * one known only by its address.
   */
  readonly gateways: readonly IGateway[];
  /**
   * TTL of the apex records, and the most its cache keeps an answer.
   * @default DEFAULT_TIER_TTL (30)
   */
  readonly ttl?: number;
  /**
   * Every name server of the tier zone (this one among them), for the apex NS and glue records; each
   * authority of a tier serves the same apex.
   * @default - this authority alone, as `ns1.<zone>`
   */
  readonly nameServers?: readonly ApexNameServer[];
  /**
   * Namespace to run in.
   * @default 'dns-authority'
   */
  readonly namespace?: string;
  /**
   * The plugin that fans out to the gateways: `fleetfanout` (ours) or `fanout`.
   * @default DEFAULT_FAN_OUT_PLUGIN ('fleetfanout': less CPU per query, no 2 s NXDOMAIN while a
   * cluster is down, lost datagrams resent; bench/RESULTS.md)
   */
  readonly fanOut?: FanOutPlugin;
}

/** What is wrong with TierAuthority props; the fleet layer reports these for an authority. */
export function validateTierAuthorityProps(props: TierAuthorityProps): PropIssue[] {
  const out = [
    ...tierZoneIssues(props.zone, props.ttl),
    ...ipIssues('ip', props.ip, 'give the authority a fixed address inside one of the MetalLB pools'),
    ...replicaIssues(props.replicas),
  ];
  if (props.gateways.length === 0) out.push({ field: 'gateways', problem: 'is empty: there is nothing to fan out to', fix: 'pass at least one gateway (a ClusterGateway, or ClusterGateway.fromAddress(ip))' });
  props.gateways.forEach((g, i) => out.push(...ipIssues(`gateways[${i}].address`, g.address, 'give every gateway its fixed address')));
  if (props.nameServers && props.nameServers.length === 0) out.push({ field: 'nameServers', problem: 'is empty', fix: 'list at least this authority, or leave nameServers out' });
  return out;
}

/**
 * The tier authority: CoreDNS with a fan-out plugin, authoritative for the tier zone. Corporate DNS delegates
 * the zone to it; it asks every gateway of the tier at once and returns the first positive answer.
 * It needs no Kubernetes API access, so its pods get no token.
 *
 * ```ts
 * new TierAuthority(chart, 'authority', {
 *   zone: 'prod.platform.example', ip: '10.10.0.53',
 *   gateways: [ClusterGateway.fromAddress('10.10.10.2'), ownGateway],
 * });
 * ```
 */
export class TierAuthority extends Construct {
  static readonly NAME = 'authority';
  readonly coredns: CoreDns;

  constructor(scope: Construct, id: string, props: TierAuthorityProps) {
    super(scope, id);
    throwIfIssues(`TierAuthority "${this.node.path}"${props.clusterName ? ` (cluster "${props.clusterName}")` : ''}`, validateTierAuthorityProps(props));
    const ttl = props.ttl ?? DEFAULT_TIER_TTL;
    const namespace = dnsNamespace(this, props.namespace ?? 'dns-authority', props.createNamespace);
    const zoneFile = `${props.zone}.db`;
    this.coredns = new CoreDns(this, 'coredns', {
      name: TierAuthority.NAME,
      namespace,
      corefile: authorityCorefile({ zone: props.zone, gateways: props.gateways.map((g) => g.address), apexZoneFile: `/etc/coredns/${zoneFile}`, ttl, fanOut: props.fanOut }),
      files: { [zoneFile]: apexZoneText(props.zone, props.nameServers ?? props.ip, ttl) },
      service: { type: 'LoadBalancer', name: TierAuthority.NAME, annotations: fixedLoadBalancerIp(poolOwner(this, props), props.ip) },
      replicas: props.replicas,
      image: props.image,
      resources: props.podResources,
    });
  }
}
