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
    this.install = new CniInstall(this, 'install', { namespace: namespace.name, network: clusterCniNetwork(props.cluster) });
  }
}
