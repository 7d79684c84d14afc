import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { componentLabels, syncWave } from '../common/workload';
import * as schemas from './crd-schemas';
import type { JsonSchema } from './crd-schemas';
import { METALLB_BGPPEER_CRD, METALLB_GROUP, METALLB_NAMESPACE, METALLB_WEBHOOK_SERVICE } from './names';

/** One printer column: name, type, JSON path. */
type Column = [name: string, type: 'string' | 'boolean' | 'integer' | 'date', jsonPath: string];

interface MetalLbVersion {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly storage: boolean;
  readonly columns: readonly Column[];
  /** @default - not deprecated */
  readonly deprecationWarning?: string;
}

interface MetalLbKind {
  readonly kind: string;
  readonly plural: string;
  readonly versions: readonly MetalLbVersion[];
}

const v1beta1 = (schema: JsonSchema, columns: readonly Column[] = []): MetalLbVersion => ({ name: 'v1beta1', schema, storage: true, columns });
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
      { name: 'v1beta1', schema: schemas.bgpPeerV1beta1Schema, storage: false, columns: peerColumns, deprecationWarning: 'metallb.io/v1beta1 BGPPeer is deprecated; use metallb.io/v1beta2' },
      { name: 'v1beta2', schema: schemas.bgpPeerV1beta2Schema, storage: true, columns: peerColumns },
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
  readonly crds: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: MetalLbCrdsProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? METALLB_NAMESPACE;
    const crds: Record<string, ApiObject> = {};
    for (const k of METALLB_KINDS) {
      const name = `${k.plural}.${METALLB_GROUP}`;
      const conversion = name === METALLB_BGPPEER_CRD
        ? {
            strategy: 'Webhook',
            webhook: {
              // The API server sends apiextensions.k8s.io/v1 ConversionReviews, which controller-runtime answers.
              conversionReviewVersions: ['v1'],
              clientConfig: { service: { name: METALLB_WEBHOOK_SERVICE, namespace, path: '/convert', port: 443 } },
            },
          }
        : undefined;
      crds[k.kind] = new ApiObject(this, k.kind, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name, labels: componentLabels('metallb', 'crd'), annotations: syncWave(props.syncWave ?? 0) },
        spec: {
          group: METALLB_GROUP,
          scope: 'Namespaced',
          names: { kind: k.kind, listKind: `${k.kind}List`, plural: k.plural, singular: k.kind.toLowerCase() },
          ...(conversion ? { conversion } : {}),
          versions: k.versions.map((v) => ({
            name: v.name,
            served: true,
            storage: v.storage,
            ...(v.deprecationWarning ? { deprecated: true, deprecationWarning: v.deprecationWarning } : {}),
            schema: { openAPIV3Schema: v.schema },
            subresources: { status: {} },
            ...(v.columns.length ? { additionalPrinterColumns: v.columns.map(([n, type, jsonPath]) => ({ name: n, type, jsonPath })) } : {}),
          })),
        },
      });
    }
    this.crds = crds;
  }
}
