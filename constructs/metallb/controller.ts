import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { imageRef, ImageVersion } from '../catalog';
import { containerPort, fieldRefEnv, httpProbe, resources, ResourceSpec, restrictedContainerSecurityContext, syncWave, tcpProbe } from '../common/workload';
import {
  METALLB_CONTROLLER, METALLB_MEMBERLIST_SECRET, METALLB_PORTS, METALLB_WEBHOOK_CERT_DIR, METALLB_WEBHOOK_CERT_SECRET, METALLB_WEBHOOK_SERVICE,
} from './names';
import { CONTROLLER_CLUSTER_RULES, controllerNamespaceRules, MetalLbServiceAccount } from './rbac';

import { MetalLbWebhook } from './webhook';

/** MetalLB's log levels (internal/logging). */
export type MetalLbLogLevel = 'all' | 'debug' | 'info' | 'warn' | 'error' | 'none';

export interface MetalLbControllerProps {
  readonly namespace: string;
  readonly image: ImageVersion;
  readonly resources: ResourceSpec;
  readonly logLevel: MetalLbLogLevel;
  /** Labels of all the controller's objects; `selector` is a subset. */
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** Argo CD sync wave of the controller and its webhook. */
  readonly syncWave: number;
}

/** The container's nobody user: the controller needs no file or privilege of its own. */
const NOBODY = 65534;

/**
 * MetalLB's controller: allocates LoadBalancer addresses from the pools, serves the validating and
 * conversion webhooks with a certificate it issues and rotates itself, and creates the speakers'
 * memberlist Secret. One replica: it runs without leader election, so two would allocate independently.
 */
export class MetalLbController extends Construct {
  readonly deployment: k8s.KubeDeployment;
  readonly serviceAccount: MetalLbServiceAccount;
  readonly webhook: MetalLbWebhook;

  constructor(scope: Construct, id: string, props: MetalLbControllerProps) {
    super(scope, id);
    const annotations = syncWave(props.syncWave);
    this.serviceAccount = new MetalLbServiceAccount(this, 'rbac', {
      name: METALLB_CONTROLLER,
      namespace: props.namespace,
      namespaceRules: controllerNamespaceRules(METALLB_CONTROLLER),
      clusterRules: CONTROLLER_CLUSTER_RULES,
      labels: props.labels,
      syncWave: props.syncWave,
    });
    this.webhook = new MetalLbWebhook(this, 'webhook', { namespace: props.namespace, controllerSelector: props.selector, labels: props.labels, syncWave: props.syncWave });

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: METALLB_CONTROLLER, namespace: props.namespace, labels: props.labels, annotations },
      spec: {
        replicas: 1,
        // Never two allocators at once (see above), even for a moment during a rollout.
        strategy: { type: 'Recreate' },
        revisionHistoryLimit: 3,
        selector: { matchLabels: props.selector },
        template: {
          metadata: { labels: props.labels },
          spec: {
            serviceAccountName: METALLB_CONTROLLER,
            automountServiceAccountToken: true,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'controller',
                image: imageRef(props.image),
                args: [
                  `--port=${METALLB_PORTS.metrics}`,
                  `--health-probe-port=${METALLB_PORTS.health}`,
                  `--log-level=${props.logLevel}`,
                  // Where the rotator waits for its certificate; the webhook server itself always reads
                  // controller-runtime's default folder, so the two must stay equal.
                  `--cert-dir=${METALLB_WEBHOOK_CERT_DIR}`,
                  `--cert-service-name=${METALLB_WEBHOOK_SERVICE}`,
                  `--webhook-secret=${METALLB_WEBHOOK_CERT_SECRET}`,
                ],
                env: [
                  fieldRefEnv('METALLB_NAMESPACE', 'metadata.namespace'),
                  fieldRefEnv('METALLB_POD_NAME', 'metadata.name'),
                  { name: 'METALLB_ML_SECRET_NAME', value: METALLB_MEMBERLIST_SECRET },
                  { name: 'METALLB_DEPLOYMENT', value: METALLB_CONTROLLER },
                ],
                ports: [
                  containerPort('metrics', METALLB_PORTS.metrics),
                  containerPort('webhook', METALLB_PORTS.webhook),
                  containerPort('health', METALLB_PORTS.health),
                ],
                livenessProbe: httpProbe('/healthz', 'health'),
                // Ready only once the webhook listens: MetalLB opens it after its certificate is mounted
                // and its CA injected, so the Service never routes to a pod that cannot answer, and the
                // stack's pools (a later wave) are not sent to a webhook that is not there yet.
                readinessProbe: tcpProbe('webhook', { periodSeconds: 5, failureThreshold: 3 }),
                resources: resources(props.resources),
                securityContext: restrictedContainerSecurityContext({ runAsUser: NOBODY }),
                volumeMounts: [{ name: 'webhook-cert', mountPath: METALLB_WEBHOOK_CERT_DIR, readOnly: true }],
              },
            ],
            // Filled and rotated by the controller itself; rendered empty a wave earlier (see METALLB_WEBHOOK_CERT_SECRET).
            volumes: [{ name: 'webhook-cert', secret: { secretName: METALLB_WEBHOOK_CERT_SECRET } }],
          },
        },
      },
    });
  }
}
