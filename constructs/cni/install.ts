import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { images, ImageVersion, imageRef } from '../catalog';
import { isDnsName } from '../common/dns-name';
import { hostPathVolume, NodeAgent, NodeAgentVolume } from '../common/node-agent';
import { PropIssue, throwIfIssues } from '../common/prop-issues';
import { componentLabels, fieldRefEnv, resources, syncWave } from '../common/workload';
import { CNI_BIN_DIR, CNI_CONF_DIR, CNI_INSTALL_NAME } from './names';
import type { CniNetworkConfigList } from './network-config';
import { CNI_WRITER_ALIVE_COMMAND, CNI_WRITER_HEARTBEAT, CNI_WRITER_INTERVAL_SECONDS, CNI_WRITER_READY_COMMAND, CNI_WRITER_SCRIPT } from './writer-script';

/** Plugin binaries to put on every listed node, from an image that holds them. */
export interface CniPluginBinaries {
  /** Image with the binaries; mounted as an image volume (Kubernetes ImageVolume), so it needs no shell. */
  readonly image: ImageVersion;
  /** Directory of the binaries inside the image, e.g. `/opt/cni/bin`. */
  readonly directory: string;
}

/** The network configuration list one node gets. */
export interface CniNodeNetwork {
  /** The Node object's name (`metadata.name`). */
  readonly name: string;
  /** Its list; every node's list has the same network name, so the same file name. */
  readonly network: CniNetworkConfigList;
}

export interface CniInstallProps {
  /** Namespace of the DaemonSet (Pod Security `privileged`: host network and hostPath volumes). */
  readonly namespace: string;
  /**
   * The nodes to install on, each with its own list (e.g. its own host-local range). The DaemonSet
   * runs only on these nodes, and its writer refuses any node it has no list for, so a node that is
   * not listed stays NotReady instead of sharing another node's range.
   */
  readonly nodes: readonly CniNodeNetwork[];
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
 * What is wrong with CniInstall props, by prop (`nodes`, `nodes[i].name`, `nodes[i].network`): no node,
 * names that are not node names or repeat, lists with different file names.
 */
export function validateCniInstallProps(props: Pick<CniInstallProps, 'nodes'>): PropIssue[] {
  const issues: PropIssue[] = [];
  if (props.nodes.length === 0) issues.push({ field: 'nodes', problem: 'no node is listed, so the install writes nothing', fix: 'list every node that gets the network' });
  const seen = new Map<string, number>();
  for (const [i, node] of props.nodes.entries()) {
    if (!isDnsName(node.name)) issues.push({ field: `nodes[${i}].name`, problem: `"${node.name}" is not a node name`, fix: 'write the name the kubelet registers (kubectl get nodes)' });
    else if (seen.has(node.name)) issues.push({ field: `nodes[${i}].name`, problem: `node "${node.name}" is already listed at nodes[${seen.get(node.name)}]`, fix: 'list each node once' });
    else seen.set(node.name, i);
    const first = props.nodes[0].network.fileName;
    if (node.network.fileName !== first) issues.push({ field: `nodes[${i}].network`, problem: `writes ${node.network.fileName}, but nodes[0] writes ${first}`, fix: 'give every node\'s list the same network name' });
  }
  return issues;
}

/**
 * Installs a CNI network configuration list on each listed node: the lists live in one ConfigMap (one
 * key per node name), and a DaemonSet, scheduled only onto the listed nodes, copies its node's list
 * (found by the node name from the downward API) into net.d by temporary file and rename, keeps it
 * current, and is ready only while the node's file matches. On a node without a list the writer logs
 * why and exits non-zero. The writer is not privileged and has no capabilities; it runs as uid 0 only
 * because net.d belongs to root on the host, and it mounts no API token.
 */
export class CniInstall extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly fileName: string;
  /** The nodes the DaemonSet runs on. */
  readonly nodeNames: readonly string[];
  readonly configMap: k8s.KubeConfigMap;
  readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: CniInstallProps) {
    super(scope, id);
    throwIfIssues(`CniInstall ${id}`, validateCniInstallProps(props));
    this.name = props.name ?? CNI_INSTALL_NAME;
    this.namespace = props.namespace;
    this.fileName = props.nodes[0].network.fileName;
    this.nodeNames = props.nodes.map((n) => n.name);
    const confDir = props.confDir ?? CNI_CONF_DIR;
    const binDir = props.binDir ?? CNI_BIN_DIR;
    const labels = componentLabels(this.name, 'cni');
    const annotations = syncWave(props.syncWave ?? 0);
    const plugins = props.pluginBinaries;

    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: this.name, namespace: props.namespace, labels, annotations },
      // Keyed by node name: a node name is a valid ConfigMap key (a DNS-1123 subdomain).
      data: Object.fromEntries(props.nodes.map((n) => [n.name, n.network.render()])),
    });

    const env: k8s.EnvVar[] = [
      fieldRefEnv('NODE_NAME', 'spec.nodeName'),
      { name: 'CONF_SRC', value: '/config' },
      { name: 'CONF_DIR', value: '/host/net.d' },
      { name: 'CONF_FILE', value: this.fileName },
      { name: 'INTERVAL', value: String(CNI_WRITER_INTERVAL_SECONDS) },
      { name: 'HEARTBEAT', value: CNI_WRITER_HEARTBEAT },
      ...(plugins ? [{ name: 'PLUGIN_SRC', value: `/plugins${plugins.directory}` }, { name: 'BIN_DIR', value: '/host/bin' }] : []),
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'config', mountPath: '/config', readOnly: true },
      { name: 'net-d', mountPath: '/host/net.d' },
      { name: 'run', mountPath: CNI_WRITER_HEARTBEAT.slice(0, CNI_WRITER_HEARTBEAT.lastIndexOf('/')) },
      ...(plugins ? [{ name: 'plugins', mountPath: '/plugins', readOnly: true }, { name: 'bin', mountPath: '/host/bin' }] : []),
    ];
    const volumes: NodeAgentVolume[] = [
      { name: 'config', configMap: { name: this.name } },
      hostPathVolume('net-d', confDir, 'DirectoryOrCreate'),
      { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
      ...(plugins ? [{ name: 'plugins', image: { reference: imageRef(plugins.image), pullPolicy: 'IfNotPresent' as const } }, hostPathVolume('bin', binDir, 'DirectoryOrCreate')] : []),
    ];
    const probe = (command: readonly string[], failureThreshold: number): k8s.Probe => ({ exec: { command: [...command] }, periodSeconds: CNI_WRITER_INTERVAL_SECONDS, timeoutSeconds: 5, failureThreshold });

    this.daemonSet = new NodeAgent(this, 'agent', {
      name: this.name,
      namespace: props.namespace,
      labels,
      selector: { 'app.kubernetes.io/name': this.name },
      annotations,
      maxUnavailable: '10%',
      // Only the listed nodes: another node has no range of its own, and the same range on two nodes
      // gives two pods one address. A metadata.name field selector takes exactly one value, so one term
      // (terms are ORed) per node.
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: this.nodeNames.map((node) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] })),
          },
        },
      },
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
          // Not privileged: uid 0 because the host's net.d (and bin) belong to root; as their owner it
          // needs no capability to write them, so every capability is dropped.
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
    }).daemonSet;
  }
}
