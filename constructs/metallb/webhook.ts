import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { intOrString, syncWave } from '../common/workload';
import {
  METALLB_CONTROLLER, METALLB_GROUP, METALLB_PORTS, METALLB_WEBHOOK_CERT_SECRET, METALLB_WEBHOOK_CONFIGURATION, METALLB_WEBHOOK_SERVICE,
} from './names';

/** One validating webhook the controller serves: the path it registers and what it checks. */
export interface MetalLbValidation {
  readonly plural: string;
  /** Lower-case kind, as in the path. */
  readonly singular: string;
  readonly version: string;
  readonly operations: readonly ('CREATE' | 'UPDATE' | 'DELETE')[];
}

/**
 * The validations registered by the controller (internal/k8s/webhook.go, enableWebhook). BFDProfile is
 * checked on delete (a profile still used by a peer must stay); BGPPeers are validated as v1beta2, and a
 * v1beta1 request reaches the webhook converted (matchPolicy Equivalent).
 */
export const METALLB_VALIDATIONS: readonly MetalLbValidation[] = [
  { plural: 'bgppeers', singular: 'bgppeer', version: 'v1beta2', operations: ['CREATE', 'UPDATE'] },
  { plural: 'bfdprofiles', singular: 'bfdprofile', version: 'v1beta1', operations: ['CREATE', 'DELETE'] },
  { plural: 'bgpadvertisements', singular: 'bgpadvertisement', version: 'v1beta1', operations: ['CREATE', 'UPDATE'] },
  { plural: 'communities', singular: 'community', version: 'v1beta1', operations: ['CREATE', 'UPDATE'] },
  { plural: 'ipaddresspools', singular: 'ipaddresspool', version: 'v1beta1', operations: ['CREATE', 'UPDATE'] },
  { plural: 'l2advertisements', singular: 'l2advertisement', version: 'v1beta1', operations: ['CREATE', 'UPDATE'] },
];

/** The path controller-runtime serves a validation on: `/validate-<group with dashes>-<version>-<kind>`. */
export function validationPath(v: MetalLbValidation): string {
  return `/validate-${METALLB_GROUP.replace(/\./g, '-')}-${v.version}-${v.singular}`;
}

export interface MetalLbWebhookProps {
  readonly namespace: string;
  /** Labels of the controller pods, which serve the webhooks. */
  readonly controllerSelector: Record<string, string>;
  readonly labels: Record<string, string>;
  /** Argo CD sync wave of the Service and the ValidatingWebhookConfiguration. */
  readonly syncWave: number;
}

/**
 * The webhook Service in front of the controller and the ValidatingWebhookConfiguration that sends
 * every change of MetalLB's configuration kinds to it. No caBundle is rendered: the controller issues
 * its own CA and writes it into both this configuration and the BGPPeer CRD's conversion webhook, so
 * the stack tells Argo CD to ignore those fields.
 */
export class MetalLbWebhook extends Construct {
  readonly service: k8s.KubeService;
  readonly configuration: k8s.KubeValidatingWebhookConfiguration;

  constructor(scope: Construct, id: string, props: MetalLbWebhookProps) {
    super(scope, id);
    const annotations = syncWave(props.syncWave);
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: METALLB_WEBHOOK_SERVICE, namespace: props.namespace, labels: props.labels, annotations },
      spec: {
        selector: props.controllerSelector,
        ports: [{ name: 'webhook', port: 443, targetPort: intOrString(METALLB_PORTS.webhook), protocol: 'TCP' }],
      },
    });
    this.configuration = new k8s.KubeValidatingWebhookConfiguration(this, 'Configuration', {
      metadata: { name: METALLB_WEBHOOK_CONFIGURATION, labels: props.labels, annotations },
      webhooks: METALLB_VALIDATIONS.map((v) => ({
        name: `${v.singular}.validate.${METALLB_GROUP}`,
        admissionReviewVersions: ['v1'],
        clientConfig: { service: { name: METALLB_WEBHOOK_SERVICE, namespace: props.namespace, path: validationPath(v), port: 443 } },
        // Refuse a change MetalLB could not check: an overlapping pool admitted now breaks allocation later.
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        sideEffects: 'None',
        timeoutSeconds: 10,
        rules: [{ apiGroups: [METALLB_GROUP], apiVersions: [v.version], operations: [...v.operations], resources: [v.plural], scope: 'Namespaced' }],
      })),
    });
  }
}

/**
 * Annotation that says, on an object rendered without its content, who writes that content. The
 * manifest tests accept a rendered Secret only when it is empty and names its writer here.
 */
export const FILLED_BY_ANNOTATION = 'fleetnet.io/filled-by';

export interface MetalLbWebhookCertSecretProps {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Argo CD sync wave: must come before the controller, whose pod mounts the Secret. */
  readonly syncWave: number;
}

/**
 * The Secret the controller keeps its webhook CA and serving certificate in, rendered EMPTY: no `data`,
 * no `stringData`. MetalLB's rotator only ever updates this Secret, so something else has to create
 * it; rendering it (a wave before the controller) means the controller pod can mount it on the very
 * first sync. It carries no secret material in Git: the controller generates the keys in the cluster.
 *
 * Argo CD and the controller do not fight over it: applied server-side, our manifest owns metadata
 * and `type` only, so a re-apply never removes the keys the controller wrote, and the stack tells
 * Argo CD to ignore `/data` when comparing.
 */
export class MetalLbWebhookCertSecret extends Construct {
  readonly apiObject: k8s.KubeSecret;

  constructor(scope: Construct, id: string, props: MetalLbWebhookCertSecretProps) {
    super(scope, id);
    this.apiObject = new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: METALLB_WEBHOOK_CERT_SECRET,
        namespace: props.namespace,
        labels: props.labels,
        annotations: {
          ...syncWave(props.syncWave),
          [FILLED_BY_ANNOTATION]: METALLB_CONTROLLER,
          'kubernetes.io/description':
            'Empty on purpose: the MetalLB controller writes its webhook CA and serving certificate here and rotates them. ' +
            'Nothing secret is in Git; do not add data.',
        },
      },
      type: 'Opaque',
    });
  }
}
