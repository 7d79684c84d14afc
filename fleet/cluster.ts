import type { StackClass } from './stack-class';
import type { ZoneSource } from '../constructs/zones/zone';
import type { AddressPoolProps } from '../constructs/metallb/pool-spec';
import type { CniChainedPluginType } from '../constructs/cni/cluster-network';
import type { CniNode } from '../constructs/cni/nodes';
import type { DnsAutoscalingProps } from '../constructs/coredns/cluster-dns';

export type { AddressPoolProps, AdvertisementMode } from '../constructs/metallb/pool-spec';
export type { CniChainedPluginType } from '../constructs/cni/cluster-network';
export type { CniNode } from '../constructs/cni/nodes';
export type { DnsAutoscalingProps } from '../constructs/coredns/cluster-dns';

/** What a cluster is for in its tier. */
export type ClusterRole = 'management' | 'workload';

/** A BGP router MetalLB's speakers peer with (only for clusters with `mode: 'bgp'` pools). */
export interface BgpPeerProps {
  readonly name: string;
  readonly peerAddress: string;
  readonly peerASN: number;
  readonly myASN: number;
}

export interface LoadBalancerProps {
  /** The MetalLB pools of this cluster. */
  readonly pools: readonly AddressPoolProps[];
  /**
   * BGP peers, needed when any pool uses `mode: 'bgp'`.
   * @default []
   */
  readonly bgpPeers?: readonly BgpPeerProps[];
  /**
   * The network these addresses live on. Pools of clusters on the same network must not overlap;
   * clusters on separate, isolated networks may reuse ranges.
   * @default 'default' (all clusters share one routed network)
   */
  readonly network?: string;
}

/** The DNS facts of a cluster: fixed service IPs and its cluster DNS settings. */
export interface ClusterDnsSettings {
  /**
   * Fixed LoadBalancer IP of this cluster's gateway (CoreDNS + k8s_gateway). Required on workload
   * clusters: the tier authority's fanout needs IP addresses, so this must be fixed and known.
   */
  readonly gatewayIP?: string;
  /**
   * Fixed LoadBalancer IP of the tier authority (CoreDNS + fanout). Required on the management
   * cluster of each tier: corporate DNS delegates the tier zone to it.
   */
  readonly authorityIP?: string;
  /**
   * Fixed LoadBalancer IP of a further tier authority on this workload cluster. The tier zone then has
   * one name server per authority (`ns1.<zone>` on the management cluster, then `ns2`, `ns3`, … in
   * fleet order), each delegated with its glue, and every cluster DNS of the tier forwards to all of
   * them: the zone keeps answering while the management cluster is down or in maintenance. Each
   * authority fans out to every gateway of the tier, its own cluster's included.
   * @default - no authority on this cluster
   */
  readonly secondaryAuthorityIP?: string;
  /**
   * Scale the cluster DNS Deployment with a HorizontalPodAutoscaler on CPU instead of a fixed count
   * (needs the metrics API, e.g. metrics-server). Not with `daemonSet`.
   * @default - a fixed 2 replicas
   */
  readonly autoscaling?: DnsAutoscalingProps;
  /**
   * Fixed LoadBalancer IP of this cluster's PowerDNS, when it runs one.
   * @default - no PowerDNS
   */
  readonly powerdnsIP?: string;
  /**
   * Zones this cluster's PowerDNS serves (needs `powerdnsIP`): typed SOA, NS and static records, or a
   * hand-written BIND file. external-dns adds the names of this cluster's Services and Ingresses.
   * Each zone lies in the platform domain, outside every tier zone; corporate DNS delegates it to `powerdnsIP`.
   * @default []
   */
  readonly zones?: readonly ZoneSource[];
  /**
   * The cluster domain the kubelet hands to pods.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /** ClusterIP of the cluster DNS Service (the kubelet's `clusterDNS`), inside `podNetwork.serviceCidr`. */
  readonly serviceIP: string;
  /** Resolvers the cluster DNS forwards everything else to (IP addresses). */
  readonly upstreams: readonly string[];
  /**
   * Run cluster DNS as a DaemonSet on every node instead of a Deployment (for HA clusters, instead
   * of node-local DNS).
   * @default false
   */
  readonly daemonSet?: boolean;
}

export interface MizarProps {
  /** CIDR of the default VPC `vpc0`. */
  readonly vpcCidr: string;
  /**
   * CIDR of the default subnet `net0`, inside `vpcCidr`.
   * @default - the VPC's CIDR
   */
  readonly subnetCidr?: string;
  /**
   * VNI of vpc0 (the operator's CLUSTER_VPC_VNI), 1-16777215.
   * @default 1
   */
  readonly vni?: number;
}

/**
 * A generic CNI chain (clusters without Mizar): a Linux bridge with host-local addresses, then the
 * chained plugins, written to each listed node with that node's own range. host-local keeps its
 * allocations per node, so two nodes with one range would give two pods the same address: the install
 * runs only on the listed nodes, and a node that is not listed gets no pod network (it stays NotReady
 * until it is added with a range of its own).
 */
export interface CniProps {
  /**
   * Every node that runs pods off the host network, by the name its kubelet registers, each with a
   * subnet inside podCidr that no other node's overlaps (e.g. one /24 per node, like the
   * controller-manager's node CIDRs). Required: there is no default, because the install cannot
   * know the nodes, and one range on two nodes is the failure this prevents. A single-node cluster
   * lists its one node (its subnet may be podCidr itself).
   */
  readonly nodes: readonly CniNode[];
  /**
   * Plugins chained after the bridge.
   * @default ['portmap', 'bandwidth']
   */
  readonly chain?: readonly CniChainedPluginType[];
  /**
   * CNI specification version of the configuration; every plugin of the chain must support it.
   * @default '1.0.0'
   */
  readonly cniVersion?: string;
}

export interface PodNetworkProps {
  /** CIDR pods get addresses from. */
  readonly podCidr: string;
  /** CIDR Services get ClusterIPs from (the API server's `--service-cluster-ip-range`). */
  readonly serviceCidr: string;
  /**
   * Run Mizar as the pod network, with its default VPC and subnet.
   * @default - no Mizar
   */
  readonly mizar?: MizarProps;
  /**
   * Install a generic CNI chain on each node of `cni.nodes`, with that node's own range (not together
   * with Mizar, which owns the nodes' CNI configuration).
   * @default - no CNI install
   */
  readonly cni?: CniProps;
}

/**
 * How `bootstrap/` (one Pulumi stack per cluster) brings the cluster up. Where to reach the cluster
 * (the kubeconfig context) is a setting of the Pulumi stack (`bootstrap/Pulumi.<cluster>.yaml`), not
 * of the fleet.
 */
export interface BootstrapProps {
  /**
   * `argocd`: install Argo CD and the root Application, which then syncs `charts-out/<cluster>/`.
   * `direct`: apply `charts-out/<cluster>/` with Pulumi in sync-wave order (no Argo CD on the cluster).
   * @default 'argocd'
   */
  readonly mode?: 'argocd' | 'direct';
}

/** What watches the cluster. */
export interface MonitoringProps {
  /**
   * The cluster runs the Prometheus Operator (its CRDs are installed): fleetnet then renders a
   * ServiceMonitor for every CoreDNS and a PodMonitor for external-dns next to each component.
   * @default false
   */
  readonly prometheusOperator?: boolean;
  /**
   * The namespace the cluster's Prometheus runs in: with `networkPolicies`, the only namespace whose Pods
   * may reach the metrics ports of the DNS servers, external-dns and the MetalLB controller.
   * @default 'monitoring'
   */
  readonly namespace?: string;
}

/** The inventory entry of one cluster, as a platform team would write it. */
export interface ClusterProps {
  /** Cluster name: a DNS label, unique in the fleet; names its folder under charts-out/. */
  readonly name: string;
  /** The tier this cluster belongs to; must be one of the fleet's tiers. */
  readonly tier: string;
  /** `management` runs the tier authority; `workload` runs applications and a gateway. */
  readonly role: ClusterRole;
  /** URL of the API server (`https://…`), used by the bootstrap. */
  readonly apiServer: string;
  readonly loadBalancer: LoadBalancerProps;
  readonly dns: ClusterDnsSettings;
  readonly podNetwork: PodNetworkProps;
  /**
   * The stacks synthesized for this cluster, each one Argo CD Application.
   * @default - the stacks for its role and settings (`defaultStacks` in stacks/index.ts)
   */
  readonly stacks?: readonly StackClass[];
  /**
   * How the bootstrap brings this cluster up.
   * @default { mode: 'argocd' }
   */
  readonly bootstrap?: BootstrapProps;
  /**
   * What watches the cluster.
   * @default - no Prometheus Operator: no monitors rendered (metrics Services are, with prometheus.io annotations)
   */
  readonly monitoring?: MonitoringProps;
  /**
   * Render an ingress NetworkPolicy for each DNS server (cluster DNS, gateway, authority), PowerDNS and
   * the MetalLB controller: DNS ports and the MetalLB webhook open to every client, metrics ports only
   * from `monitoring.namespace`, everything else refused. They take effect only where the pod network
   * enforces NetworkPolicy; the MetalLB speaker and the CNI install run in the host network, out of their reach.
   * @default true
   */
  readonly networkPolicies?: boolean;
}

/** A cluster of the fleet. Pass this object (not its name or IPs) to constructs that need it. */
export class Cluster {
  readonly name: string;
  readonly tier: string;
  readonly role: ClusterRole;
  readonly apiServer: string;
  readonly loadBalancer: LoadBalancerProps;
  readonly dns: ClusterDnsSettings;
  readonly podNetwork: PodNetworkProps;
  readonly stacks?: readonly StackClass[];
  readonly bootstrap?: BootstrapProps;
  readonly monitoring?: MonitoringProps;
  readonly networkPolicies?: boolean;
  /** The props exactly as written (not enumerable, so a spread copy does not carry it), for validation of fields a cluster file misspells. */
  declare readonly props: ClusterProps;

  constructor(props: ClusterProps) {
    Object.defineProperty(this, 'props', { value: props, enumerable: false });
    this.name = props.name;
    this.tier = props.tier;
    this.role = props.role;
    this.apiServer = props.apiServer;
    this.loadBalancer = props.loadBalancer;
    this.dns = props.dns;
    this.podNetwork = props.podNetwork;
    this.stacks = props.stacks;
    this.bootstrap = props.bootstrap;
    this.monitoring = props.monitoring;
    this.networkPolicies = props.networkPolicies;
  }

  /** The namespace Prometheus scrapes from, defaulted (see MonitoringProps.namespace). */
  get monitoringNamespace(): string {
    return this.monitoring?.namespace ?? 'monitoring';
  }

  /** Whether the stacks render their NetworkPolicies, defaulted (see ClusterProps.networkPolicies). */
  get renderNetworkPolicies(): boolean {
    return this.networkPolicies ?? true;
  }

  /** The cluster domain, defaulted. */
  get clusterDomain(): string {
    return this.dns.clusterDomain ?? 'cluster.local';
  }

  /** The network its LoadBalancer addresses live on, defaulted. */
  get network(): string {
    return this.loadBalancer.network ?? 'default';
  }

  /** How the bootstrap brings this cluster up, defaulted. */
  get bootstrapMode(): 'argocd' | 'direct' {
    return this.bootstrap?.mode ?? 'argocd';
  }

  get isManagement(): boolean {
    return this.role === 'management';
  }
}

/** Declares a cluster. Validation happens when the fleet is validated, so every error is reported at once. */
export function cluster(props: ClusterProps): Cluster {
  return new Cluster(props);
}

/** The fixed Service addresses of a cluster's DNS (gateway, authorities, PowerDNS), in that order. */
export function fixedServiceIps(cluster: Cluster): string[] {
  const d = cluster.dns;
  return [d.gatewayIP, d.authorityIP, d.secondaryAuthorityIP, d.powerdnsIP].filter((ip): ip is string => ip !== undefined);
}
