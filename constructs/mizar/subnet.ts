import { Construct } from 'constructs';
import { IpRange } from '../common/ip';
import { componentLabels } from '../common/workload';
import { Subnet as SubnetResource, SubnetSpecStatus } from '../imports/mizar.com';
import { MIZAR_OBJECT_NAMESPACE } from './names';
import { checkMizarName, mizarObjectAnnotations, parseMizarCidr, Vpc } from './vpc';

export interface SubnetProps {
  /** Name of the Subnet object; `net0` is the subnet pods without annotations land in. */
  readonly name: string;
  /** The VPC it belongs to. */
  readonly vpc: Vpc;
  /** IPv4 CIDR inside the VPC, not overlapping its other subnets. */
  readonly cidr: string;
  /**
   * Number of bouncers (the subnet's switches).
   * @default 1
   */
  readonly bouncers?: number;
  /**
   * Argo CD sync wave inside the stack.
   * @default 0
   */
  readonly syncWave?: number;
}

/** A Mizar subnet of a VPC, created in `default` with `spec.status: Init`. */
export class Subnet extends Construct {
  readonly name: string;
  readonly vpc: Vpc;
  readonly cidr: string;
  readonly range: IpRange;
  readonly apiObject: SubnetResource;

  constructor(scope: Construct, id: string, props: SubnetProps) {
    super(scope, id);
    const what = `Subnet "${props.name}"`;
    checkMizarName(what, props.name);
    this.name = props.name;
    this.vpc = props.vpc;
    this.cidr = props.cidr;
    this.range = parseMizarCidr(`${what} cidr`, props.cidr);
    props.vpc.registerSubnet(props.name, this.range);
    const bouncers = props.bouncers ?? 1;
    if (!Number.isInteger(bouncers) || bouncers < 1) throw new Error(`${what}: bouncers must be a positive integer, got ${bouncers}`);
    const [ip, prefix] = props.cidr.split('/');
    this.apiObject = new SubnetResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: MIZAR_OBJECT_NAMESPACE,
        labels: componentLabels('mizar', 'subnet'),
        annotations: mizarObjectAnnotations(props.syncWave ?? 0),
      },
      // The operator copies the VPC's VNI here when it provisions the subnet (nets/create.py).
      spec: { ip, prefix, vni: String(props.vpc.vni), vpc: props.vpc.name, bouncers, status: SubnetSpecStatus.INIT },
    });
  }
}
