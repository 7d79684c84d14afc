import { Construct } from 'constructs';
import { images, ImageVersion } from '../catalog';
import { componentLabels, ResourceSpec } from '../common/workload';
import { PlatformNamespace } from '../namespace/namespace';
import { MetalLbController, MetalLbLogLevel } from './controller';
import { MetalLbCrds } from './crds';
import { METALLB_NAMESPACE, METALLB_SYNC_WAVES } from './names';
import { DEFAULT_L2_EXCLUDED_INTERFACES, MetalLbSpeaker } from './speaker';
import { MetalLbWebhookCertSecret } from './webhook';

export interface MetalLbProps {
  /**
   * Namespace MetalLB runs in; pools, advertisements and peers must be created in it too.
   * @default METALLB_NAMESPACE ('metallb-system')
   */
  readonly namespace?: string;
  /**
   * Log level of controller and speaker.
   * @default 'info'
   */
  readonly logLevel?: MetalLbLogLevel;
  /**
   * Controller image.
   * @default images.metallbController
   */
  readonly controllerImage?: ImageVersion;
  /**
   * Speaker image.
   * @default images.metallbSpeaker
   */
  readonly speakerImage?: ImageVersion;
  /**
   * Controller requests and limits.
   * @default 50m CPU, 64Mi memory, 256Mi memory limit
   */
  readonly controllerResources?: ResourceSpec;
  /**
   * Speaker requests and limits.
   * @default 50m CPU, 64Mi memory, 256Mi memory limit
   */
  readonly speakerResources?: ResourceSpec;
  /**
   * Interface name patterns (regular expressions) that never announce in L2 mode.
   * @default DEFAULT_L2_EXCLUDED_INTERFACES
   */
  readonly l2ExcludedInterfaces?: readonly string[];
  /**
   * Tolerations of the speakers.
   * @default - tolerate control-plane nodes, so addresses can be announced from them too
   */
  readonly speakerTolerations?: readonly Record<string, string>[];
}

const DEFAULT_RESOURCES: ResourceSpec = { cpu: '50m', memory: '64Mi', memoryLimit: '256Mi' };

/**
 * The whole MetalLB install in native mode (L2 and native BGP): namespace, CRDs, controller with its
 * webhooks, speakers, and least-privilege RBAC for both. Add address pools with `MetalLbAddressPool`.
 *
 * Nothing has to be created out of band. The webhook certificate Secret is rendered empty, a wave
 * before the controller, which fills and rotates it (see METALLB_WEBHOOK_CERT_SECRET); the speakers'
 * memberlist Secret is created by the controller itself and not rendered.
 */
export class MetalLb extends Construct {
  readonly namespace: string;
  readonly crds: MetalLbCrds;
  /** The empty webhook certificate Secret the controller fills. */
  readonly webhookCertSecret: MetalLbWebhookCertSecret;
  readonly controller: MetalLbController;
  readonly speaker: MetalLbSpeaker;

  constructor(scope: Construct, id: string, props: MetalLbProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? METALLB_NAMESPACE;
    const logLevel = props.logLevel ?? 'info';
    const controllerLabels = componentLabels('metallb', 'controller');
    const speakerLabels = componentLabels('metallb', 'speaker');
    const selector = (labels: Record<string, string>) => ({
      'app.kubernetes.io/name': labels['app.kubernetes.io/name'],
      'app.kubernetes.io/component': labels['app.kubernetes.io/component'],
    });

    // Privileged: the speaker needs the host network and NET_RAW (see MetalLbSpeaker), which neither
    // `baseline` nor `restricted` admits. The controller in the same namespace is `restricted`-clean.
    new PlatformNamespace(this, 'namespace', { name: this.namespace, podSecurity: 'privileged' })
      .apiObject.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(METALLB_SYNC_WAVES.crds));
    this.crds = new MetalLbCrds(this, 'crds', { namespace: this.namespace, syncWave: METALLB_SYNC_WAVES.crds });
    this.webhookCertSecret = new MetalLbWebhookCertSecret(this, 'webhook-cert', {
      namespace: this.namespace,
      labels: controllerLabels,
      syncWave: METALLB_SYNC_WAVES.crds,
    });
    this.controller = new MetalLbController(this, 'controller', {
      namespace: this.namespace,
      image: props.controllerImage ?? images.metallbController,
      resources: props.controllerResources ?? DEFAULT_RESOURCES,
      logLevel,
      labels: controllerLabels,
      selector: selector(controllerLabels),
      syncWave: METALLB_SYNC_WAVES.components,
    });
    this.speaker = new MetalLbSpeaker(this, 'speaker', {
      namespace: this.namespace,
      image: props.speakerImage ?? images.metallbSpeaker,
      resources: props.speakerResources ?? DEFAULT_RESOURCES,
      logLevel,
      l2ExcludedInterfaces: props.l2ExcludedInterfaces ?? DEFAULT_L2_EXCLUDED_INTERFACES,
      tolerations: props.speakerTolerations ?? [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      labels: speakerLabels,
      selector: selector(speakerLabels),
      syncWave: METALLB_SYNC_WAVES.components,
    });
  }
}
