import { throwIfIssues, type PropIssue } from '../common/prop-issues';
import { Construct } from 'constructs';
import { IpRange, overlaps, parseCidr } from '../common/ip';
import { componentLabels, syncWave } from '../common/workload';
import { Vpc as VpcResource, VpcSpecStatus } from '../imports/mizar.com';
import { MIZAR_OBJECT_NAMESPACE } from './names';

/** Geneve VNIs are 24 bits; 0 is left out. */
export const MIZAR_VNI_MIN = 1;
export const MIZAR_VNI_MAX = 2 ** 24 - 1;

/** Issues of a VNI (`vni`); the fleet layer reports the same for `podNetwork.mizar.vni`. */
export function vniIssues(vni: number): PropIssue[] {
  if (Number.isInteger(vni) && vni >= MIZAR_VNI_MIN && vni <= MIZAR_VNI_MAX) return [];
  return [{ field: 'vni', problem: `${vni} is not a Geneve VNI (an integer ${MIZAR_VNI_MIN}-${MIZAR_VNI_MAX})`, fix: `pick an integer between ${MIZAR_VNI_MIN} and ${MIZAR_VNI_MAX}, or leave it out for 1` }];
}

/** Annotations on Mizar objects: the sync wave, and no dry run while the CRD is still being created. */
export function mizarObjectAnnotations(wave: number): Record<string, string> {
  return { ...syncWave(wave), 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' };
}

/** Parses a Mizar CIDR (IPv4 only: mizar/common/cidr.py) or throws an error that names the object. */
export function parseMizarCidr(what: string, cidr: string): IpRange {
  const range = parseCidr(cidr);
  if (!range || range.family !== 4) {
    throw new Error(`${what}: "${cidr}" is not an IPv4 CIDR without host bits; Mizar networks are IPv4. Write e.g. 172.20.0.0/16`);
  }
  return range;
}

export function checkMizarName(what: string, name: string): void {
  // Bouncer and divider names append "-b-<uuid4>" (39 characters), so keep names short.
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) {
    throw new Error(`${what}: "${name}" is not a DNS label; use lower-case letters, digits and dashes, at most 63 characters`);
  }
}

export interface VpcProps {
  /** Name of the Vpc object; `vpc0` is the VPC pods without annotations land in. */
  readonly name: string;
  /** IPv4 CIDR of the VPC, e.g. 172.20.0.0/16. */
  readonly cidr: string;
  /**
   * Geneve VNI. Mizar v0.91 honours it only for vpc0 (where it must match the operator's
   * CLUSTER_VPC_VNI) and allocates a random one for every other VPC.
   * @default 1
   */
  readonly vni?: number;
  /**
   * Number of dividers (the VPC's routers, one per chosen node).
   * @default 1
   */
  readonly dividers?: number;
  /**
   * Argo CD sync wave inside the stack.
   * @default 0
   */
  readonly syncWave?: number;
}

/**
 * A Mizar VPC, created in `default` with `spec.status: Init` (the only state whose create handler
 * provisions it). Subnets register with it, so overlaps are found when the chart is built.
 */
export class Vpc extends Construct {
  readonly name: string;
  readonly cidr: string;
  readonly range: IpRange;
  readonly vni: number;
  readonly apiObject: VpcResource;
  private readonly subnets: { name: string; range: IpRange }[] = [];

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const what = `Vpc "${props.name}"`;
    checkMizarName(what, props.name);
    this.name = props.name;
    this.cidr = props.cidr;
    this.range = parseMizarCidr(`${what} cidr`, props.cidr);
    this.vni = props.vni ?? 1;
    throwIfIssues(what, vniIssues(this.vni));
    const dividers = props.dividers ?? 1;
    if (!Number.isInteger(dividers) || dividers < 1) throw new Error(`${what}: dividers must be a positive integer, got ${dividers}`);
    const [ip, prefix] = props.cidr.split('/');
    this.apiObject = new VpcResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: MIZAR_OBJECT_NAMESPACE,
        labels: componentLabels('mizar', 'vpc'),
        annotations: mizarObjectAnnotations(props.syncWave ?? 0),
      },
      spec: { ip, prefix, vni: String(this.vni), dividers, status: VpcSpecStatus.INIT },
    });
  }

  /** Called by Subnet: refuses a subnet outside the VPC or overlapping another of its subnets. */
  registerSubnet(name: string, range: IpRange): void {
    const what = `Subnet "${name}" (${range.text})`;
    if (range.first < this.range.first || range.last > this.range.last) {
      throw new Error(`${what} is not inside its Vpc "${this.name}" (${this.cidr}); pick a range inside the VPC`);
    }
    const clash = this.subnets.find((s) => overlaps(s.range, range));
    if (clash) throw new Error(`${what} overlaps Subnet "${clash.name}" (${clash.range.text}) of Vpc "${this.name}"; give each subnet its own range`);
    this.subnets.push({ name, range });
  }
}
