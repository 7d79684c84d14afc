import { Construct } from 'constructs';
import { PlatformNamespace } from '../namespace/namespace';
import { MizarCrds } from './crds';
import { MizarDaemon } from './daemon';
import { MizarOperator } from './operator';
import { Subnet, SubnetProps } from './subnet';
import { DEFAULT_SUBNET_NAME, DEFAULT_VPC_NAME, MIZAR_SYNC_WAVES } from './names';
import { Vpc, VpcProps } from './vpc';

export interface MizarNetworkProps {
  /** IPv4 CIDR of the default VPC vpc0. */
  readonly vpcCidr: string;
  /**
   * IPv4 CIDR of the default subnet net0, inside the VPC.
   * @default - the VPC's CIDR
   */
  readonly subnetCidr?: string;
  /**
   * VNI of vpc0 (also the operator's CLUSTER_VPC_VNI).
   * @default 1
   */
  readonly vni?: number;
  /**
   * Namespace of the daemon and the operator (Pod Security `privileged`: host network, host PID and
   * privileged containers). Mizar's own objects always live in `default`.
   * @default 'mizar-system'
   */
  readonly namespace?: string;
}

/**
 * Mizar as the pod network: CRDs, the daemon on every node, the operator under least-privilege RBAC,
 * and the default VPC vpc0 with subnet net0 at the given ranges, each in its sync wave.
 */
export class MizarNetwork extends Construct {
  readonly namespace: string;
  readonly daemon: MizarDaemon;
  readonly operator: MizarOperator;
  /** vpc0: where pods without `mizar.com/vpc` land. */
  readonly defaultVpc: Vpc;
  /** net0: where pods without `mizar.com/subnet` land. */
  readonly defaultSubnet: Subnet;

  constructor(scope: Construct, id: string, props: MizarNetworkProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'mizar-system';
    new PlatformNamespace(this, 'namespace', { name: this.namespace, podSecurity: 'privileged' });
    new MizarCrds(this, 'crds', { syncWave: MIZAR_SYNC_WAVES.crds });
    this.defaultVpc = new Vpc(this, 'vpc0', { name: DEFAULT_VPC_NAME, cidr: props.vpcCidr, vni: props.vni, syncWave: MIZAR_SYNC_WAVES.defaultNetwork });
    this.defaultSubnet = new Subnet(this, 'net0', {
      name: DEFAULT_SUBNET_NAME,
      vpc: this.defaultVpc,
      cidr: props.subnetCidr ?? props.vpcCidr,
      syncWave: MIZAR_SYNC_WAVES.defaultNetwork,
    });
    this.daemon = new MizarDaemon(this, 'daemon', { namespace: this.namespace, syncWave: MIZAR_SYNC_WAVES.daemon });
    this.operator = new MizarOperator(this, 'operator', { namespace: this.namespace, clusterVpcVni: this.defaultVpc.vni, syncWave: MIZAR_SYNC_WAVES.operator });
  }

  /** Another VPC, applied after the operator runs. */
  addVpc(id: string, props: Omit<VpcProps, 'syncWave'>): Vpc {
    return new Vpc(this, id, { ...props, syncWave: MIZAR_SYNC_WAVES.networks });
  }

  /** Another subnet (of any VPC), applied after the operator runs. */
  addSubnet(id: string, props: Omit<SubnetProps, 'syncWave'>): Subnet {
    return new Subnet(this, id, { ...props, syncWave: MIZAR_SYNC_WAVES.networks });
  }
}
