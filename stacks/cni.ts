import type { Construct } from 'constructs';
import { clusterCniNetworks } from '../constructs/cni/cluster-network';
import { CniInstall } from '../constructs/cni/install';
import { PlatformNamespace } from '../constructs/namespace/namespace';
import { FleetStack, FleetStackProps } from './fleet-stack';

/**
 * The generic CNI chain of a cluster that declares `podNetwork.cni`, written to each node of
 * `podNetwork.cni.nodes` with that node's subnet (no other node gets one). First of all stacks: no pod
 * off the host network starts before a node has its network configuration.
 */
export class CniStack extends FleetStack {
  static readonly stackName = 'cni';
  static readonly syncWave = 0;
  readonly install: CniInstall;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, CniStack.stackName, props);
    // hostPath volumes and the host network: nothing below Pod Security `privileged` admits them.
    const namespace = new PlatformNamespace(this, 'namespace', { name: 'cni-system', podSecurity: 'privileged' });
    const cni = props.cluster.podNetwork.cni;
    if (!cni) throw new Error(`cluster "${props.cluster.name}" declares no podNetwork.cni. Fix: add podNetwork.cni, or remove CniStack from the cluster's stacks`);
    const nodes = clusterCniNetworks({ nodes: cni.nodes, chain: cni.chain, cniVersion: cni.cniVersion });
    this.install = new CniInstall(this, 'install', { namespace: namespace.name, nodes });
  }
}
