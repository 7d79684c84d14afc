import type { Construct } from 'constructs';
import { MizarNetwork } from '../constructs/mizar/mizar';
import { FleetStack, FleetStackProps, SyncSettings } from './fleet-stack';

/** Fields of Vpc/Subnet that the operator rewrites (state, timings, allocated VNI); Argo CD must leave them. */
const OPERATOR_WRITTEN = ['/spec/status', '/spec/vni', '/spec/createtime', '/spec/provisiondelay'];

/** Mizar as the pod network, on clusters that declare `podNetwork.mizar`. */
export class MizarStack extends FleetStack {
  static readonly stackName = 'mizar';
  static readonly syncWave = 10;
  override readonly sync: SyncSettings = {
    serverSideApply: true,
    ignoreDifferences: [
      { group: 'mizar.com', kind: 'Vpc', jsonPointers: OPERATOR_WRITTEN },
      { group: 'mizar.com', kind: 'Subnet', jsonPointers: OPERATOR_WRITTEN },
    ],
  };
  readonly mizar: MizarNetwork;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, MizarStack.stackName, props);
    const settings = props.cluster.podNetwork.mizar;
    if (!settings) throw new Error(`cluster "${props.cluster.name}": MizarStack needs podNetwork.mizar; add it, or drop the stack from the cluster's stacks`);
    this.mizar = new MizarNetwork(this, 'mizar', { vpcCidr: settings.vpcCidr, subnetCidr: settings.subnetCidr, vni: settings.vni });
  }
}
