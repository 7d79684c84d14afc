import type { Cluster, CniChainedPluginType } from '../../fleet/cluster';
import { CniNetworkConfigList } from './network-config';
import { BandwidthPlugin, BridgePlugin, CniPlugin, FirewallPlugin, HostLocalIpam, PortmapPlugin, TuningPlugin } from './plugins';

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

/** The chain a cluster declares in `podNetwork.cni`: bridge with host-local addresses, then its chain. */
export function clusterCniNetwork(cluster: Cluster): CniNetworkConfigList {
  const cni = cluster.podNetwork.cni;
  if (!cni) throw new Error(`cluster "${cluster.name}" declares no podNetwork.cni`);
  const bridge = new BridgePlugin({ ipam: new HostLocalIpam({ subnets: [cni.subnet ?? cluster.podNetwork.podCidr] }) });
  return new CniNetworkConfigList({
    name: CLUSTER_CNI_NETWORK_NAME,
    cniVersion: cni.cniVersion,
    plugins: [bridge, ...(cni.chain ?? DEFAULT_CNI_CHAIN).map((type) => CHAINED[type]())],
  });
}
