import type { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { images, ImageVersion, imageRef } from '../catalog';
import { hostPathVolume, NodeAgent } from '../common/node-agent';
import { componentLabels, containerPort, resources, ResourceSpec, syncWave, tcpProbe } from '../common/workload';
import { MIZAR_DAEMON_GRPC_PORT } from './names';

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
  readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: MizarDaemonProps) {
    super(scope, id);
    this.name = props.name ?? 'mizar-daemon';
    this.namespace = props.namespace;
    const grpcProbe = (failureThreshold: number) => tcpProbe(MIZAR_DAEMON_GRPC_PORT, { periodSeconds: 10, failureThreshold });
    this.daemonSet = new NodeAgent(this, 'agent', {
      name: this.name,
      namespace: props.namespace,
      labels: componentLabels(this.name, 'network-daemon'),
      selector: { 'app.kubernetes.io/name': this.name },
      annotations: syncWave(props.syncWave ?? 0),
      // Both containers act on the host through `nsenter -t 1` (node-init.sh, daemon/app.py). The host
      // network also because mizarcni dials localhost:50051 and the operator <node IP>:50051.
      hostPid: true,
      initContainers: [
        {
          name: 'node-init',
          image: imageRef(props.nodeInitImage ?? images.mizarNodeInit),
          imagePullPolicy: 'IfNotPresent',
          command: ['./node-init.sh'],
          resources: resources({ cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
          // Privileged: installs packages and files on the host inside its mount namespace (apt-get,
          // pip3, /opt/cni/bin, /etc/cni/net.d), which nothing short of privileged allows.
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
          ports: [containerPort('grpc', MIZAR_DAEMON_GRPC_PORT)],
          // Startup sets the NIC's MTU and offloads, starts transitd and loads XDP on the host.
          startupProbe: grpcProbe(60),
          livenessProbe: grpcProbe(3),
          readinessProbe: grpcProbe(1),
          resources: resources(props.resources ?? { cpu: '100m', memory: '256Mi', memoryLimit: '1Gi' }),
          // Privileged: loads XDP programs, sets sysctls and links, and runs transitd in the host's namespaces.
          securityContext: { privileged: true },
        },
      ],
      volumes: [hostPathVolume('host-var', '/var', 'Directory')],
    }).daemonSet;
  }
}
