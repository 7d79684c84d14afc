/**
 * The shape of fleetnet's node agents (the CNI install and the Mizar daemon): one pod per node, in the
 * host's network because the pod network does not exist before the agent, tolerating every taint
 * (nodes stay NotReady until a network exists), node-critical, without an API token. Each agent says
 * itself why it needs what it adds (privileged, the host's PID namespace, host paths).
 *
 * Typed L1 (k8s.KubeDaemonSet), not cdk8s-plus-27's DaemonSet: the L2's defaults (non-root, no host
 * network, its own selector labels) are the opposite of what a node agent needs.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { intOrString } from './workload';

/**
 * A volume whose source is newer than cdk8s-plus-27's Kubernetes 1.27 schema, written as the API takes
 * it (the typed class would drop the field): an image volume (Kubernetes 1.31+).
 */
export interface ImageVolume {
  readonly name: string;
  readonly image: { readonly reference: string; readonly pullPolicy: 'Always' | 'IfNotPresent' | 'Never' };
}

export type NodeAgentVolume = k8s.Volume | ImageVolume;

export interface NodeAgentProps {
  /** Name of the DaemonSet and its ServiceAccount. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Labels the DaemonSet selects its pods by; the pods carry `labels` and these. */
  readonly selector: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
  /**
   * Nodes updated at once.
   * @default 1
   */
  readonly maxUnavailable?: number | string;
  /**
   * Run in the host's PID namespace (for `nsenter -t 1`).
   * @default false
   */
  readonly hostPid?: boolean;
  /** @default - every node */
  readonly affinity?: k8s.Affinity;
  /** @default - the kubelet's (30 s) */
  readonly terminationGracePeriodSeconds?: number;
  /** @default [] */
  readonly initContainers?: readonly k8s.Container[];
  readonly containers: readonly k8s.Container[];
  readonly volumes: readonly NodeAgentVolume[];
}

const isImageVolume = (v: NodeAgentVolume): v is ImageVolume => 'image' in v;

/** A host directory as a volume. */
export function hostPathVolume(name: string, path: string, type: 'Directory' | 'DirectoryOrCreate'): k8s.Volume {
  return { name, hostPath: { path, type } };
}

/** A node agent: its ServiceAccount (no token) and its DaemonSet. */
export class NodeAgent extends Construct {
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id);
    const metadata: k8s.ObjectMeta = { name: props.name, namespace: props.namespace, labels: props.labels, ...(props.annotations ? { annotations: props.annotations } : {}) };
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const spec: k8s.PodSpec = {
      serviceAccountName: props.name,
      automountServiceAccountToken: false,
      // The node's network dies with it: the last pod the kubelet evicts under pressure.
      priorityClassName: 'system-node-critical',
      ...(props.affinity ? { affinity: props.affinity } : {}),
      // Nodes stay NotReady (tainted) until a network configuration exists: tolerate every taint.
      tolerations: [{ operator: 'Exists' }],
      // A pod on the pod network cannot start before the agent that makes it.
      hostNetwork: true,
      ...(props.hostPid ? { hostPid: true } : {}),
      dnsPolicy: 'Default',
      ...(props.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: props.terminationGracePeriodSeconds } : {}),
      ...(props.initContainers?.length ? { initContainers: [...props.initContainers] } : {}),
      containers: [...props.containers],
      volumes: props.volumes.filter((v): v is k8s.Volume => !isImageVolume(v)),
    };
    this.daemonSet = new NodeAgentDaemonSet(this, 'DaemonSet', {
      metadata,
      spec: {
        selector: { matchLabels: props.selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: intOrString(props.maxUnavailable ?? 1) } },
        template: { metadata: { labels: { ...props.labels, ...props.selector } }, spec },
      },
    }, props.volumes);
  }
}

/** A KubeDaemonSet that writes its volumes in the order given, image volumes included. */
class NodeAgentDaemonSet extends k8s.KubeDaemonSet {
  constructor(scope: Construct, id: string, props: k8s.KubeDaemonSetProps, private readonly allVolumes: readonly NodeAgentVolume[]) {
    super(scope, id, props);
  }

  override toJson(): any {
    const json = super.toJson();
    if (!this.allVolumes.some(isImageVolume)) return json;
    const typed: { name: string }[] = json.spec.template.spec.volumes ?? [];
    json.spec.template.spec.volumes = this.allVolumes.map((v) => (isImageVolume(v) ? { name: v.name, image: { ...v.image } } : typed.find((t) => t.name === v.name)));
    return json;
  }
}
