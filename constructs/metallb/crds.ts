import type { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CrdVersion, customResourceDefinition, JsonSchema, PrinterColumn as Column } from '../common/crd';
import { componentLabels, syncWave } from '../common/workload';
import * as schemas from './crd-schemas';
import { METALLB_BGPPEER_CRD, METALLB_GROUP, METALLB_NAMESPACE, METALLB_WEBHOOK_SERVICE } from './names';

interface MetalLbKind {
  readonly kind: string;
  readonly plural: string;
  readonly versions: readonly CrdVersion[];
}

// Every MetalLB kind has a status subresource.
const v1beta1 = (schema: JsonSchema, columns: readonly Column[] = []): CrdVersion => ({ name: 'v1beta1', schema, storage: true, columns, status: true });
const poolColumns: Column[] = [['IPAddressPools', 'string', '.spec.ipAddressPools'], ['Node Selectors', 'string', '.spec.nodeSelectors']];
const peerColumns: Column[] = [['Address', 'string', '.spec.peerAddress'], ['ASN', 'string', '.spec.peerASN'], ['BFD Profile', 'string', '.spec.bfdProfile']];
const statusColumns: Column[] = [['Node', 'string', '.status.node'], ['Service Name', 'string', '.status.serviceName'], ['Service Namespace', 'string', '.status.serviceNamespace']];

/**
 * Every kind MetalLB v0.16 reads or writes. The controller and speaker start informers on all of them
 * (BGPPeer in both versions, ServiceL2Status and ServiceBGPStatus for the speaker's status reports,
 * ConfigurationState for both components' verdicts), and a missing CRD stops their caches from syncing.
 */
export const METALLB_KINDS: readonly MetalLbKind[] = [
  { kind: 'IPAddressPool', plural: 'ipaddresspools', versions: [v1beta1(schemas.ipAddressPoolSchema, [['Auto Assign', 'boolean', '.spec.autoAssign'], ['Avoid Buggy IPs', 'boolean', '.spec.avoidBuggyIPs'], ['Addresses', 'string', '.spec.addresses']])] },
  { kind: 'L2Advertisement', plural: 'l2advertisements', versions: [v1beta1(schemas.l2AdvertisementSchema, [...poolColumns, ['Interfaces', 'string', '.spec.interfaces']])] },
  { kind: 'BGPAdvertisement', plural: 'bgpadvertisements', versions: [v1beta1(schemas.bgpAdvertisementSchema, [...poolColumns, ['Peers', 'string', '.spec.peers']])] },
  {
    kind: 'BGPPeer',
    plural: 'bgppeers',
    versions: [
      { name: 'v1beta1', schema: schemas.bgpPeerV1beta1Schema, storage: false, columns: peerColumns, status: true, deprecationWarning: 'metallb.io/v1beta1 BGPPeer is deprecated; use metallb.io/v1beta2' },
      { name: 'v1beta2', schema: schemas.bgpPeerV1beta2Schema, storage: true, columns: peerColumns, status: true },
    ],
  },
  { kind: 'BFDProfile', plural: 'bfdprofiles', versions: [v1beta1(schemas.bfdProfileSchema, [['Passive Mode', 'boolean', '.spec.passiveMode'], ['Transmit Interval', 'integer', '.spec.transmitInterval'], ['Receive Interval', 'integer', '.spec.receiveInterval'], ['Multiplier', 'integer', '.spec.detectMultiplier']])] },
  { kind: 'Community', plural: 'communities', versions: [v1beta1(schemas.communitySchema)] },
  { kind: 'ServiceL2Status', plural: 'servicel2statuses', versions: [v1beta1(schemas.serviceL2StatusSchema, statusColumns)] },
  { kind: 'ServiceBGPStatus', plural: 'servicebgpstatuses', versions: [v1beta1(schemas.serviceBgpStatusSchema, statusColumns)] },
  { kind: 'ConfigurationState', plural: 'configurationstates', versions: [v1beta1(schemas.configurationStateSchema, [['Result', 'string', '.status.result'], ['ErrorSummary', 'string', '.status.errorSummary'], ['Age', 'date', '.metadata.creationTimestamp']])] },
];

export interface MetalLbCrdsProps {
  /**
   * The namespace of the webhook Service that converts BGPPeers between versions.
   * @default METALLB_NAMESPACE
   */
  readonly namespace?: string;
  /**
   * Argo CD sync wave of the CRDs inside their stack.
   * @default 0
   */
  readonly syncWave?: number;
}

/**
 * The nine metallb.io CustomResourceDefinitions (apiextensions.k8s.io/v1, structural schemas, status
 * subresources). BGPPeer serves v1beta1 and stores v1beta2; the API server converts between them by
 * calling the controller's webhook at `/convert`, whose caBundle the controller injects.
 */
export class MetalLbCrds extends Construct {
  /** The CRD objects by kind (escape hatch). */
  readonly crds: Readonly<Record<string, k8s.KubeCustomResourceDefinition>>;

  constructor(scope: Construct, id: string, props: MetalLbCrdsProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? METALLB_NAMESPACE;
    const crds: Record<string, k8s.KubeCustomResourceDefinition> = {};
    for (const k of METALLB_KINDS) {
      const conversion: k8s.CustomResourceConversion | undefined = `${k.plural}.${METALLB_GROUP}` === METALLB_BGPPEER_CRD
        ? {
            strategy: 'Webhook',
            webhook: {
              // The API server sends apiextensions.k8s.io/v1 ConversionReviews, which controller-runtime answers.
              conversionReviewVersions: ['v1'],
              clientConfig: { service: { name: METALLB_WEBHOOK_SERVICE, namespace, path: '/convert', port: 443 } },
            },
          }
        : undefined;
      crds[k.kind] = customResourceDefinition(this, k.kind, {
        group: METALLB_GROUP,
        kind: k.kind,
        plural: k.plural,
        versions: k.versions,
        conversion,
        labels: componentLabels('metallb', 'crd'),
        annotations: syncWave(props.syncWave ?? 0),
      });
    }
    this.crds = crds;
  }
}
