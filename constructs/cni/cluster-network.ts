import { PropIssue, throwIfIssues } from '../common/prop-issues';
import type { CniNodeNetwork } from './install';
import { cniConfigProblems, CniNetworkConfigList, CniNetworkConfigListProps } from './network-config';
import { CniNode, cniNodeIssues } from './nodes';
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
  /**
   * The nodes that get the chain, each with its own host-local range. Every other node gets no pod
   * network (CniInstall schedules only onto listed nodes, and its writer refuses any other).
   */
  readonly nodes: readonly CniNode[];
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
 * What is wrong with ClusterCniNetwork props, by prop (`nodes[i].name`, `nodes[i].subnet`, `chain[i]`,
 * `cniVersion`): no node, node names that repeat or are not node names, overlapping subnets, unknown or
 * repeated plugins, and a cniVersion the bridge, host-local or a chained plugin does not speak. The
 * fleet layer reports the same under `podNetwork.cni`.
 */
export function validateClusterCniNetworkProps(props: ClusterCniNetworkProps): PropIssue[] {
  const nodes = cniNodeIssues(props.nodes);
  const chain = props.chain ?? DEFAULT_CNI_CHAIN;
  const unknown: PropIssue[] = chain.flatMap((type, i) => (CHAINABLE_PLUGIN_TYPES.includes(type) ? [] : [{ field: `chain[${i}]`, problem: `"${type}" is not a plugin that can follow the bridge`, fix: `use ${CHAINABLE_PLUGIN_TYPES.join(', ')}` }]));
  if (unknown.length > 0) return [...nodes, ...unknown];
  // plugins[0] is the bridge (with host-local), plugins[i] is chain[i-1]; the range does not change
  // what the plugins accept, so any one stands in for every node's.
  const problems = cniConfigProblems(listProps(props, props.nodes[0]?.subnet ?? '10.0.0.0/24')).map((p) => {
    const i = /^plugins\[(\d+)\]$/.exec(p.field)?.[1];
    if (i === undefined) return p;
    return { ...p, field: i === '0' ? 'cniVersion' : `chain[${Number(i) - 1}]` };
  });
  return [...nodes, ...problems];
}

function listProps(props: Omit<ClusterCniNetworkProps, 'nodes'>, subnet: string): CniNetworkConfigListProps {
  const bridge = new BridgePlugin({ ipam: new HostLocalIpam({ subnets: [subnet] }) });
  return {
    name: CLUSTER_CNI_NETWORK_NAME,
    cniVersion: props.cniVersion,
    plugins: [bridge, ...(props.chain ?? DEFAULT_CNI_CHAIN).map((type) => CHAINED[type]())],
  };
}

/**
 * The generic chain of a cluster without Mizar, one list per node: a bridge with host-local addresses
 * from the node's own subnet, then the chained plugins. Throws with every issue of the props.
 */
export function clusterCniNetworks(props: ClusterCniNetworkProps): CniNodeNetwork[] {
  throwIfIssues('ClusterCniNetwork', validateClusterCniNetworkProps(props));
  return props.nodes.map((node) => ({ name: node.name, network: new CniNetworkConfigList(listProps(props, node.subnet)) }));
}
