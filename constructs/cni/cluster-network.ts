import { CniNetworkConfigList } from './network-config';
import { BandwidthPlugin, BridgePlugin, CniPlugin, FirewallPlugin, HostLocalIpam, PortmapPlugin, TuningPlugin } from './plugins';

/** Plugins that can follow the bridge in a cluster's CNI chain, in the order listed. */
export type CniChainedPluginType = 'portmap' | 'bandwidth' | 'tuning' | 'firewall';

/** The chained plugins a cluster gets when its `podNetwork.cni` names none. */
export const DEFAULT_CNI_CHAIN: readonly CniChainedPluginType[] = ['portmap', 'bandwidth'];

/** The network name, and so the file name `10-fleetnet.conflist`, of a cluster's chain. */
export const CLUSTER_CNI_NETWORK_NAME = 'fleetnet';

const CHAINED: Record<CniChainedPluginType, () => CniPlugin> = {
  portmap: () => new PortmapPlugin(),
  bandwidth: () => new BandwidthPlugin(),
  tuning: () => new TuningPlugin(),
  firewall: () => new FirewallPlugin(),
};

/** The plugin types `podNetwork.cni.chain` accepts. */
export const CHAINABLE_PLUGIN_TYPES: readonly string[] = Object.keys(CHAINED);

export interface ClusterCniNetworkProps {
  /** The range pods get addresses from (host-local). */
  readonly subnet: string;
  /**
   * Plugins chained after the bridge.
   * @default DEFAULT_CNI_CHAIN (['portmap', 'bandwidth'])
   */
  readonly chain?: readonly CniChainedPluginType[];
  /**
   * CNI specification version of the configuration.
   * @default - CniNetworkConfigList's default
   */
  readonly cniVersion?: string;
}

/** A bridge with host-local addresses, then the chained plugins: the generic chain of a cluster without Mizar. */
export function clusterCniNetwork(props: ClusterCniNetworkProps): CniNetworkConfigList {
  const bridge = new BridgePlugin({ ipam: new HostLocalIpam({ subnets: [props.subnet] }) });
  return new CniNetworkConfigList({
    name: CLUSTER_CNI_NETWORK_NAME,
    cniVersion: props.cniVersion,
    plugins: [bridge, ...(props.chain ?? DEFAULT_CNI_CHAIN).map((type) => CHAINED[type]())],
  });
}
