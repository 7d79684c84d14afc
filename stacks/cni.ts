import type { Construct } from 'constructs';
import { clusterCniNetwork } from '../constructs/cni/cluster-network';
import { CniInstall } from '../constructs/cni/install';
import { PlatformNamespace } from '../constructs/namespace/namespace';
import { FleetStack, FleetStackProps } from './fleet-stack';

/**
 * The generic CNI chain of a cluster that declares `podNetwork.cni`, written to every node. First of
 * all stacks: no pod off the host network starts before a node has its network configuration.
 */
export class CniStack extends FleetStack {
  static readonly stackName = 'cni';
  static readonly syncWave = 0;
  readonly install: CniInstall;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, CniStack.stackName, props);
    // hostPath volumes and the host network: nothing below Pod Security `privileged` admits them.
    const namespace = new PlatformNamespace(this, 'namespace', { name: 'cni-system', podSecurity: 'privileged' });
    const { podNetwork } = props.cluster;
    const cni = podNetwork.cni;
    if (!cni) throw new Error(`cluster "${props.cluster.name}" declares no podNetwork.cni. Fix: add podNetwork.cni, or remove CniStack from the cluster's stacks`);
    const network = clusterCniNetwork({ subnet: cni.subnet ?? podNetwork.podCidr, chain: cni.chain, cniVersion: cni.cniVersion });
    this.install = new CniInstall(this, 'install', { namespace: namespace.name, network });
  }
}
