import type { PropIssue } from '../common/prop-issues';
import { cniConfigProblems, CniNetworkConfigList, CniNetworkConfigListProps } from './network-config';
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

/**
 * What is wrong with ClusterCniNetwork props, by prop (`chain[i]`, `cniVersion`): unknown or repeated
 * plugins, and a cniVersion the bridge, host-local or a chained plugin does not speak. The fleet layer
 * reports the same under `podNetwork.cni`.
 */
export function validateClusterCniNetworkProps(props: ClusterCniNetworkProps): PropIssue[] {
  const chain = props.chain ?? DEFAULT_CNI_CHAIN;
  const unknown: PropIssue[] = chain.flatMap((type, i) => (CHAINABLE_PLUGIN_TYPES.includes(type) ? [] : [{ field: `chain[${i}]`, problem: `"${type}" is not a plugin that can follow the bridge`, fix: `use ${CHAINABLE_PLUGIN_TYPES.join(', ')}` }]));
  if (unknown.length > 0) return unknown;
  // plugins[0] is the bridge (with host-local), plugins[i] is chain[i-1].
  return cniConfigProblems(listProps(props)).map((p) => {
    const i = /^plugins\[(\d+)\]$/.exec(p.field)?.[1];
    if (i === undefined) return p;
    return { ...p, field: i === '0' ? 'cniVersion' : `chain[${Number(i) - 1}]` };
  });
}

function listProps(props: ClusterCniNetworkProps): CniNetworkConfigListProps {
  const bridge = new BridgePlugin({ ipam: new HostLocalIpam({ subnets: [props.subnet] }) });
  return {
    name: CLUSTER_CNI_NETWORK_NAME,
    cniVersion: props.cniVersion,
    plugins: [bridge, ...(props.chain ?? DEFAULT_CNI_CHAIN).map((type) => CHAINED[type]())],
  };
}

/** A bridge with host-local addresses, then the chained plugins: the generic chain of a cluster without Mizar. */
export function clusterCniNetwork(props: ClusterCniNetworkProps): CniNetworkConfigList {
  return new CniNetworkConfigList(listProps(props));
}
