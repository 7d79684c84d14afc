import { Construct } from 'constructs';
import { isIp } from '../common/ip';
import { BgpPeerV1Beta2 } from '../imports/metallb.io';
import { throwIfIssues, type PropIssue } from '../common/prop-issues';
import { componentLabels, syncWave } from '../common/workload';
import { METALLB_NAMESPACE, METALLB_SYNC_WAVES } from './names';

export interface MetalLbBgpPeerProps {
  /** Name of the BGPPeer object; BGP pools name their peers by it. */
  readonly name: string;
  /** The router's address. */
  readonly peerAddress: string;
  /** The router's AS number. */
  readonly peerASN: number;
  /** The cluster's AS number. */
  readonly myASN: number;
  /**
   * TCP port of the router.
   * @default 179
   */
  readonly peerPort?: number;
  /**
   * BGP hold time, a Go duration such as `90s`.
   * @default - MetalLB's default (90s)
   */
  readonly holdTime?: string;
  /**
   * Namespace MetalLB runs in.
   * @default METALLB_NAMESPACE
   */
  readonly namespace?: string;
  /**
   * Argo CD sync wave.
   * @default METALLB_SYNC_WAVES.configuration
   */
  readonly syncWave?: number;
}

/** Issues of the AS numbers of a peer (`peerASN`, `myASN`); the fleet layer reports the same for `loadBalancer.bgpPeers[i]`. */
export function bgpAsnIssues(props: Pick<MetalLbBgpPeerProps, 'peerASN' | 'myASN'>): PropIssue[] {
  return (['peerASN', 'myASN'] as const)
    .filter((key) => !Number.isInteger(props[key]) || props[key] < 1 || props[key] > 4294967294)
    .map((key) => ({ field: key, problem: `${props[key]} is not an AS number`, fix: 'use an integer between 1 and 4294967294' }));
}

/** What is wrong with MetalLbBgpPeer props. */
export function validateBgpPeerProps(props: MetalLbBgpPeerProps): PropIssue[] {
  const out: PropIssue[] = [];
  if (!isIp(props.peerAddress)) out.push({ field: 'peerAddress', problem: `"${props.peerAddress}" is not an IP address`, fix: "write the router's address" });
  return [...out, ...bgpAsnIssues(props)];
}

/** A router the speakers open native BGP sessions to (metallb.io/v1beta2 BGPPeer, the stored version). */
export class MetalLbBgpPeer extends Construct {
  readonly name: string;
  readonly apiObject: BgpPeerV1Beta2;

  constructor(scope: Construct, id: string, props: MetalLbBgpPeerProps) {
    super(scope, id);
    this.name = props.name;
    throwIfIssues(`BGP peer "${props.name}"`, validateBgpPeerProps(props));
    this.apiObject = new BgpPeerV1Beta2(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? METALLB_NAMESPACE,
        labels: componentLabels('metallb', 'bgp-peer'),
        annotations: syncWave(props.syncWave ?? METALLB_SYNC_WAVES.configuration),
      },
      spec: {
        myAsn: props.myASN,
        peerAsn: props.peerASN,
        peerAddress: props.peerAddress,
        ...(props.peerPort !== undefined ? { peerPort: props.peerPort } : {}),
        ...(props.holdTime !== undefined ? { holdTime: props.holdTime } : {}),
      },
    });
  }
}
