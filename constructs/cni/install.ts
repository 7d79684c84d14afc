import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { images, ImageVersion, imageRef } from '../catalog';
import { componentLabels, resources, syncWave } from '../common/workload';
import type { CniNetworkConfigList } from './network-config';
import { CNI_WRITER_ALIVE_COMMAND, CNI_WRITER_HEARTBEAT, CNI_WRITER_INTERVAL_SECONDS, CNI_WRITER_READY_COMMAND, CNI_WRITER_SCRIPT } from './writer-script';

/** Plugin binaries to put on every node, from an image that holds them. */
export interface CniPluginBinaries {
  /** Image with the binaries; mounted as an image volume (Kubernetes ImageVolume), so it needs no shell. */
  readonly image: ImageVersion;
  /** Directory of the binaries inside the image, e.g. `/opt/cni/bin`. */
  readonly directory: string;
}

export interface CniInstallProps {
  /** Namespace of the DaemonSet (Pod Security `privileged`: host network and hostPath volumes). */
  readonly namespace: string;
  /** The network configuration list to install. */
  readonly network: CniNetworkConfigList;
  /**
   * Name of the DaemonSet, ConfigMap and ServiceAccount.
   * @default 'cni-install'
   */
  readonly name?: string;
  /**
   * Also copy plugin binaries into the node's binary directory.
   * @default - none: the plugins are already on the nodes (the container runtime's package installs them)
   */
  readonly pluginBinaries?: CniPluginBinaries;
  /**
   * The node's configuration directory.
   * @default '/etc/cni/net.d'
   */
  readonly confDir?: string;
  /**
   * The node's plugin directory (used only with `pluginBinaries`).
   * @default '/opt/cni/bin'
   */
  readonly binDir?: string;
  /**
   * Image with the shell that writes the files.
   * @default images.busybox
   */
  readonly image?: ImageVersion;
  /**
   * Argo CD sync wave inside the stack.
   * @default 0
   */
  readonly syncWave?: number;
}

/**
 * Installs a CNI network configuration list on every node: the conflist lives in a ConfigMap, and a
 * DaemonSet copies it into the node's net.d by temporary file and rename, keeps it current, and is
 * ready only while the node's file matches. The writer is not privileged and has no capabilities; it
 * runs as uid 0 only because net.d belongs to root on the host, and it mounts no API token.
 */
export class CniInstall extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly fileName: string;
  readonly configMap: ApiObject;
  readonly daemonSet: ApiObject;

  constructor(scope: Construct, id: string, props: CniInstallProps) {
    super(scope, id);
    this.name = props.name ?? 'cni-install';
    this.namespace = props.namespace;
    this.fileName = props.network.fileName;
    const confDir = props.confDir ?? '/etc/cni/net.d';
    const binDir = props.binDir ?? '/opt/cni/bin';
    const labels = componentLabels(this.name, 'cni');
    const selector = { 'app.kubernetes.io/name': this.name };
    const metadata = { name: this.name, namespace: props.namespace, labels, annotations: syncWave(props.syncWave ?? 0) };
    const plugins = props.pluginBinaries;

    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false });
    this.configMap = new ApiObject(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      data: { [this.fileName]: props.network.render() },
    });

    const env = [
      { name: 'CONF_SRC', value: '/config' },
      { name: 'CONF_DIR', value: '/host/net.d' },
      { name: 'CONF_FILE', value: this.fileName },
      { name: 'INTERVAL', value: String(CNI_WRITER_INTERVAL_SECONDS) },
      { name: 'HEARTBEAT', value: CNI_WRITER_HEARTBEAT },
      ...(plugins ? [{ name: 'PLUGIN_SRC', value: `/plugins${plugins.directory}` }, { name: 'BIN_DIR', value: '/host/bin' }] : []),
    ];
    const mounts = [
      { name: 'config', mountPath: '/config', readOnly: true },
      { name: 'net-d', mountPath: '/host/net.d' },
      { name: 'run', mountPath: CNI_WRITER_HEARTBEAT.slice(0, CNI_WRITER_HEARTBEAT.lastIndexOf('/')) },
      ...(plugins ? [{ name: 'plugins', mountPath: '/plugins', readOnly: true }, { name: 'bin', mountPath: '/host/bin' }] : []),
    ];
    const volumes = [
      { name: 'config', configMap: { name: this.name } },
      { name: 'net-d', hostPath: { path: confDir, type: 'DirectoryOrCreate' } },
      { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
      ...(plugins
        ? [
            { name: 'plugins', image: { reference: imageRef(plugins.image), pullPolicy: 'IfNotPresent' } },
            { name: 'bin', hostPath: { path: binDir, type: 'DirectoryOrCreate' } },
          ]
        : []),
    ];
    const probe = (command: readonly string[], failureThreshold: number) => ({ exec: { command: [...command] }, periodSeconds: CNI_WRITER_INTERVAL_SECONDS, timeoutSeconds: 5, failureThreshold });

    this.daemonSet = new ApiObject(this, 'DaemonSet', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata,
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            priorityClassName: 'system-node-critical',
            // Nodes stay NotReady (tainted) until a network configuration exists: tolerate every taint.
            tolerations: [{ operator: 'Exists' }],
            // A pod on the pod network cannot start before the configuration this pod writes exists.
            hostNetwork: true,
            dnsPolicy: 'Default',
            terminationGracePeriodSeconds: 5,
            containers: [
              {
                name: 'writer',
                image: imageRef(props.image ?? images.busybox),
                imagePullPolicy: 'IfNotPresent',
                command: ['sh', '-c', CNI_WRITER_SCRIPT],
                env,
                readinessProbe: probe(CNI_WRITER_READY_COMMAND, 1),
                livenessProbe: probe(CNI_WRITER_ALIVE_COMMAND, 3),
                resources: resources({ cpu: '5m', memory: '16Mi', memoryLimit: '32Mi' }),
                // uid 0 because the host's net.d (and bin) belong to root; as their owner it needs no
                // capability to write them, so every capability is dropped.
                securityContext: {
                  runAsUser: 0,
                  runAsGroup: 0,
                  runAsNonRoot: false,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
      },
    });
  }
}
