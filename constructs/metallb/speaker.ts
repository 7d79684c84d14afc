import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { imageRef, ImageVersion } from '../catalog';
import { containerPort, fieldRefEnv, httpProbe, resources, ResourceSpec, syncWave, tolerations } from '../common/workload';
import type { MetalLbLogLevel } from './controller';
import { METALLB_MEMBERLIST_SECRET, METALLB_PORTS, METALLB_SPEAKER } from './names';
import { MetalLbServiceAccount, SPEAKER_CLUSTER_RULES, SPEAKER_NAMESPACE_RULES } from './rbac';


/**
 * Host interfaces whose names match these patterns never announce an address in L2 mode: container
 * bridges and veths, tunnels, loopback, CNI and kube-proxy devices.
 */
export const DEFAULT_L2_EXCLUDED_INTERFACES: readonly string[] = [
  '^docker.*', '^cbr.*', '^dummy.*', '^virbr.*', '^lxcbr.*', '^veth.*', '^lo$', '^cali.*', '^tunl.*',
  '^flannel.*', '^kube-ipvs.*', '^cni.*', '^nodelocaldns.*', '^lxc.*',
];

/** Where the speaker reads its L2 exclusions and its memberlist key (speaker/main.go). */
const EXCLUDE_L2_DIR = '/etc/metallb';
const MEMBERLIST_KEY_DIR = '/etc/ml_secret_key';

export interface MetalLbSpeakerProps {
  readonly namespace: string;
  readonly image: ImageVersion;
  readonly resources: ResourceSpec;
  readonly logLevel: MetalLbLogLevel;
  /** Regular expressions of interface names that never announce in L2 mode. */
  readonly l2ExcludedInterfaces: readonly string[];
  readonly tolerations: readonly Record<string, string>[];
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly syncWave: number;
}

/**
 * MetalLB's speaker, one per node: announces allocated addresses by ARP/NDP (L2) or native BGP, and
 * finds its peers through memberlist to fail over quickly.
 */
export class MetalLbSpeaker extends Construct {
  readonly daemonSet: k8s.KubeDaemonSet;
  readonly serviceAccount: MetalLbServiceAccount;

  constructor(scope: Construct, id: string, props: MetalLbSpeakerProps) {
    super(scope, id);
    const annotations = syncWave(props.syncWave);
    const meta = (name: string) => ({ name, namespace: props.namespace, labels: props.labels, annotations });
    this.serviceAccount = new MetalLbServiceAccount(this, 'rbac', {
      name: METALLB_SPEAKER,
      namespace: props.namespace,
      namespaceRules: SPEAKER_NAMESPACE_RULES,
      clusterRules: SPEAKER_CLUSTER_RULES,
      labels: props.labels,
      syncWave: props.syncWave,
    });
    const excludeL2 = `${METALLB_SPEAKER}-excludel2`;
    new k8s.KubeConfigMap(this, 'ExcludeL2', {
      metadata: meta(excludeL2),
      data: { 'excludel2.yaml': stringify({ announcedInterfacesToExclude: [...props.l2ExcludedInterfaces] }) },
    });

    // The speaker binds its health endpoint to 127.0.0.1 of the node (it runs in the host network), so
    // the kubelet, also in the host network, probes that address.
    const probe = (path: string) => httpProbe(path, 'health', { host: '127.0.0.1' });
    // L1, not cdk8s-plus-27's DaemonSet: the speaker runs in the host network as root with NET_RAW, which
    // the L2's secure defaults (non-root, no host network) would refuse or hide.
    this.daemonSet = new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: meta(METALLB_SPEAKER),
      spec: {
        selector: { matchLabels: props.selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels: props.labels },
          spec: {
            serviceAccountName: METALLB_SPEAKER,
            automountServiceAccountToken: true,
            // Announcing is done on the node's own interfaces: gratuitous ARP / NDP for L2, BGP sessions
            // from the node's address; memberlist also runs between node addresses. So: host network.
            hostNetwork: true,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: tolerations(props.tolerations),
            // The node's announcements die with the speaker: every fixed DNS address on the node goes dark.
            // Node-critical, like the CNI: the last pod the kubelet evicts under pressure.
            priorityClassName: 'system-node-critical',
            // A short grace: a speaker on its way out stops announcing, and memberlist moves its addresses.
            terminationGracePeriodSeconds: 2,
            containers: [
              {
                name: 'speaker',
                image: imageRef(props.image),
                args: [`--port=${METALLB_PORTS.metrics}`, `--health-probe-port=${METALLB_PORTS.health}`, `--log-level=${props.logLevel}`],
                env: [
                  fieldRefEnv('METALLB_NAMESPACE', 'metadata.namespace'),
                  fieldRefEnv('METALLB_NODE_NAME', 'spec.nodeName'),
                  fieldRefEnv('METALLB_POD_NAME', 'metadata.name'),
                  fieldRefEnv('METALLB_ML_BIND_ADDR', 'status.podIP'),
                  { name: 'METALLB_ML_LABELS', value: Object.entries(props.selector).map(([k, v]) => `${k}=${v}`).join(',') },
                  { name: 'METALLB_ML_SECRET_KEY_PATH', value: MEMBERLIST_KEY_DIR },
                ],
                ports: [
                  containerPort('metrics', METALLB_PORTS.metrics),
                  containerPort('memberlist-tcp', METALLB_PORTS.memberlist),
                  containerPort('memberlist-udp', METALLB_PORTS.memberlist, 'UDP'),
                  containerPort('health', METALLB_PORTS.health),
                ],
                livenessProbe: probe('/healthz'),
                readinessProbe: probe('/readyz'),
                resources: resources(props.resources),
                // Root with one capability: NET_RAW opens the raw sockets that send ARP and NDP
                // (a capability granted to a non-root process is not effective without ambient capabilities).
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'], add: ['NET_RAW'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: [
                  { name: 'memberlist', mountPath: MEMBERLIST_KEY_DIR, readOnly: true },
                  { name: 'excludel2', mountPath: EXCLUDE_L2_DIR, readOnly: true },
                ],
              },
            ],
            volumes: [
              // Created by the controller at its first start; speakers wait for it.
              { name: 'memberlist', secret: { secretName: METALLB_MEMBERLIST_SECRET } },
              { name: 'excludel2', configMap: { name: excludeL2 } },
            ],
          },
        },
      },
    });
  }
}
