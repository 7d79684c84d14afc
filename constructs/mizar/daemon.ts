import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { images, ImageVersion, imageRef } from '../catalog';
import { componentLabels, resources, ResourceSpec, syncWave } from '../common/workload';

/** Port of the daemon's gRPC server (InterfaceService, DropletService) on every node's host network. */
export const MIZAR_DAEMON_GRPC_PORT = 50051;

export interface MizarDaemonProps {
  /** Namespace of the DaemonSet and its ServiceAccount (must allow Pod Security `privileged`). */
  readonly namespace: string;
  /**
   * Name of the DaemonSet and its ServiceAccount.
   * @default 'mizar-daemon'
   */
  readonly name?: string;
  /**
   * Image of the node-init container, which installs Mizar and mizarcni onto the host.
   * @default images.mizarNodeInit
   */
  readonly nodeInitImage?: ImageVersion;
  /**
   * Image of the daemon.
   * @default images.mizarDaemon
   */
  readonly image?: ImageVersion;
  /**
   * Requests and limits of the daemon.
   * @default 100m CPU, 256Mi memory, 1Gi memory limit
   */
  readonly resources?: ResourceSpec;
  /**
   * Argo CD sync wave inside the stack; the operator must come after it (CentaurusInfra/mizar#473).
   * @default 0
   */
  readonly syncWave?: number;
}

/**
 * The Mizar daemon on every node. Its node-init container installs the Mizar tree, mizarcni and
 * 10-mizarcni.conf on the host; the daemon then starts transitd, loads the transit XDP program and
 * serves gRPC to the CNI plugin and the operator. Ready once that gRPC port answers, so Argo CD
 * holds the operator back until every node has a daemon (the ordering upstream asks for).
 * It calls nothing on the API server: its ServiceAccount has no rules and mounts no token.
 */
export class MizarDaemon extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly daemonSet: ApiObject;

  constructor(scope: Construct, id: string, props: MizarDaemonProps) {
    super(scope, id);
    this.name = props.name ?? 'mizar-daemon';
    this.namespace = props.namespace;
    const labels = componentLabels(this.name, 'network-daemon');
    const selector = { 'app.kubernetes.io/name': this.name };
    const metadata = { name: this.name, namespace: props.namespace, labels, annotations: syncWave(props.syncWave ?? 0) };
    const grpcProbe = { tcpSocket: { port: MIZAR_DAEMON_GRPC_PORT }, periodSeconds: 10, timeoutSeconds: 5 };

    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false });
    this.daemonSet = new ApiObject(this, 'DaemonSet', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata,
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            priorityClassName: 'system-node-critical',
            // The pod network of every node, control plane included, and nodes stay NotReady
            // (tainted) until a CNI runs: tolerate every taint.
            tolerations: [{ operator: 'Exists' }],
            // gRPC on the node's address: mizarcni dials localhost:50051, the operator <node IP>:50051;
            // and the pod network does not exist before this daemon builds it.
            hostNetwork: true,
            // Both containers act on the host through `nsenter -t 1` (node-init.sh, daemon/app.py).
            hostPID: true,
            dnsPolicy: 'Default',
            initContainers: [
              {
                name: 'node-init',
                image: imageRef(props.nodeInitImage ?? images.mizarNodeInit),
                imagePullPolicy: 'IfNotPresent',
                command: ['./node-init.sh'],
                resources: resources({ cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
                // Installs packages and files on the host inside its mount namespace (apt-get, pip3,
                // /opt/cni/bin, /etc/cni/net.d): nothing short of privileged allows that.
                securityContext: { privileged: true },
                // node-init.sh copies the image's /var/mizar to /home, i.e. the host's /var/mizar.
                volumeMounts: [{ name: 'host-var', mountPath: '/home' }],
              },
            ],
            containers: [
              {
                name: 'mizar-daemon',
                image: imageRef(props.image ?? images.mizarDaemon),
                imagePullPolicy: 'IfNotPresent',
                env: [{ name: 'FEATUREGATE_BWQOS', value: 'false' }],
                ports: [{ name: 'grpc', containerPort: MIZAR_DAEMON_GRPC_PORT, protocol: 'TCP' }],
                // Startup sets the NIC's MTU and offloads, starts transitd and loads XDP on the host.
                startupProbe: { ...grpcProbe, failureThreshold: 60 },
                livenessProbe: { ...grpcProbe, failureThreshold: 3 },
                readinessProbe: { ...grpcProbe, failureThreshold: 1 },
                resources: resources(props.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
                // Loads XDP programs, sets sysctls and links, and runs transitd in the host's namespaces.
                securityContext: { privileged: true },
              },
            ],
            volumes: [{ name: 'host-var', hostPath: { path: '/var', type: 'Directory' } }],
          },
        },
      },
    });
  }
}
