import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { isIp } from '../common/ip';
import { componentLabels, syncWave } from '../common/workload';
import { METALLB_GROUP, METALLB_NAMESPACE, METALLB_SYNC_WAVES } from './names';

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

function checkAsn(peer: string, field: string, asn: number): void {
  if (!Number.isInteger(asn) || asn < 1 || asn > 4294967294) {
    throw new Error(`BGP peer "${peer}": ${field} ${asn} is not an AS number; use an integer from 1 to 4294967294`);
  }
}

/** A router the speakers open native BGP sessions to (metallb.io/v1beta2 BGPPeer, the stored version). */
export class MetalLbBgpPeer extends Construct {
  readonly name: string;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: MetalLbBgpPeerProps) {
    super(scope, id);
    this.name = props.name;
    if (!isIp(props.peerAddress)) throw new Error(`BGP peer "${props.name}": peerAddress "${props.peerAddress}" is not an IP address; write the router's address`);
    checkAsn(props.name, 'peerASN', props.peerASN);
    checkAsn(props.name, 'myASN', props.myASN);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: `${METALLB_GROUP}/v1beta2`,
      kind: 'BGPPeer',
      metadata: {
        name: props.name,
        namespace: props.namespace ?? METALLB_NAMESPACE,
        labels: componentLabels('metallb', 'bgp-peer'),
        annotations: syncWave(props.syncWave ?? METALLB_SYNC_WAVES.configuration),
      },
      spec: {
        myASN: props.myASN,
        peerASN: props.peerASN,
        peerAddress: props.peerAddress,
        ...(props.peerPort !== undefined ? { peerPort: props.peerPort } : {}),
        ...(props.holdTime !== undefined ? { holdTime: props.holdTime } : {}),
      },
    });
  }
}
