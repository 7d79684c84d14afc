import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { images, ImageVersion, imageRef } from '../catalog';
import { RoleGrant } from '../common/rbac';
import { componentLabels, resources, ResourceSpec, syncWave } from '../common/workload';
import { MIZAR_OPERATOR_HEALTH_PORT } from './names';
import { OPERATOR_CLUSTER_RULES, OPERATOR_DEFAULT_NAMESPACE_RULES, OPERATOR_KUBE_SYSTEM_RULES } from './rbac';

/** Where the operator image keeps the kopf entry point (etc/docker/operator.Dockerfile). */
const OPERATOR_SCRIPT = '/var/mizar/mizar/operator.py';

export interface MizarOperatorProps {
  /** Namespace of the Deployment and its ServiceAccount (must allow Pod Security `privileged`). */
  readonly namespace: string;
  /**
   * VNI of the default VPC vpc0 (the operator's CLUSTER_VPC_VNI); must equal vpc0's `spec.vni`.
   * @default 1
   */
  readonly clusterVpcVni?: number;
  /**
   * Image of the operator.
   * @default images.mizarOperator
   */
  readonly image?: ImageVersion;
  /**
   * Requests and limits.
   * @default 200m CPU, 512Mi memory, 1Gi memory limit
   */
  readonly resources?: ResourceSpec;
  /**
   * Argo CD sync wave inside the stack: after the daemon (CentaurusInfra/mizar#473).
   * @default 0
   */
  readonly syncWave?: number;
}

/**
 * The Mizar operator (kopf, standalone, one replica) under its own least-privilege RBAC (see
 * rbac.ts): a ClusterRole for what it watches cluster-wide, a Role in `default` for the Mizar objects
 * it writes there, and a Role in kube-system for the one ConfigMap it reads. Left out on purpose:
 * creating ConfigMap default/mizar-grpc-service, which only happens on Arktos.
 */
export class MizarOperator extends Construct {
  static readonly NAME = 'mizar-operator';
  readonly namespace: string;
  readonly deployment: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: MizarOperatorProps) {
    super(scope, id);
    const name = MizarOperator.NAME;
    this.namespace = props.namespace;
    const labels = componentLabels(name, 'network-operator');
    const selector = { 'app.kubernetes.io/name': name };
    const wave = syncWave(props.syncWave ?? 0);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace: props.namespace, labels, annotations: wave } });
    const serviceAccount = { name, namespace: props.namespace };
    new RoleGrant(this, 'ClusterWide', { name, rules: OPERATOR_CLUSTER_RULES, serviceAccount, labels });
    new RoleGrant(this, 'Default', { name, namespace: 'default', rules: OPERATOR_DEFAULT_NAMESPACE_RULES, serviceAccount, labels });
    new RoleGrant(this, 'KubeSystem', { name, namespace: 'kube-system', rules: OPERATOR_KUBE_SYSTEM_RULES, serviceAccount, labels });

    const healthProbe: k8s.Probe = {
      exec: { command: ['python3', '-c', `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${MIZAR_OPERATOR_HEALTH_PORT}/healthz', timeout=4)`] },
      periodSeconds: 15,
      timeoutSeconds: 5,
    };
    const scratch = ['run', 'log', 'lib'].map((d) => ({ name: `luigi-${d}`, mountPath: `/var/${d}/luigi` }));
    // L1, not cdk8s-plus-27's Deployment: the L2 would add its own selector labels and refuse the host network.
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name, namespace: props.namespace, labels, annotations: wave },
      spec: {
        replicas: 1,
        // kopf standalone: two operators at once would handle every object twice.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: name,
            priorityClassName: 'system-cluster-critical',
            // Nodes are NotReady until Mizar provisions their network: the operator must start there.
            tolerations: [
              { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
              { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            ],
            // It provisions the pod network, so it cannot live on it; it reaches every node's daemon
            // (gRPC 50051) and transitd (rpcbind) on node addresses.
            hostNetwork: true,
            dnsPolicy: 'Default',
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'mizar-operator',
                image: imageRef(props.image ?? images.mizarOperator),
                imagePullPolicy: 'IfNotPresent',
                // The image's own command, plus kopf's liveness endpoint on loopback.
                command: ['kopf', 'run', '--standalone', `--liveness=http://127.0.0.1:${MIZAR_OPERATOR_HEALTH_PORT}/healthz`, OPERATOR_SCRIPT],
                env: [
                  { name: 'FEATUREGATE_BWQOS', value: 'false' },
                  { name: 'CLUSTER_VPC_VNI', value: String(props.clusterVpcVni ?? 1) },
                ],
                livenessProbe: { ...healthProbe, initialDelaySeconds: 30, failureThreshold: 4 },
                readinessProbe: { ...healthProbe, failureThreshold: 2 },
                resources: resources(props.resources ?? { cpu: '200m', memory: '512Mi', memoryLimit: '1Gi' }),
                // kopf, luigid and the transit RPC client need no privilege (upstream runs it privileged).
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                // luigid's pid file, logs and state; Python's temporary files.
                volumeMounts: [...scratch, { name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [...scratch.map((m) => ({ name: m.name, emptyDir: {} })), { name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
  }
}
