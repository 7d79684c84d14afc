import { Construct } from 'constructs';
import { parseIp } from '../common/ip';
import { throwIfIssues, type PropIssue } from '../common/prop-issues';
import { CoreDns } from './coredns';
import { clusterDnsCorefile, StubZone } from './corefiles';
import { CoreDnsPodProps, dnsNamespace, DnsNamespaceProps, ipIssues, replicaIssues } from './dns-service-props';
import { KUBERNETES_PLUGIN_RULES } from './rbac';

/** Bounds of the cluster DNS autoscaler (a HorizontalPodAutoscaler on CPU). */
export interface DnsAutoscalingProps {
  /**
   * Fewest replicas; two keep DNS up through a node loss.
   * @default 2
   */
  readonly minReplicas?: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /**
   * Average CPU use, in percent of the request, the autoscaler keeps the pods at.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
}

export interface ClusterDnsProps extends DnsNamespaceProps, CoreDnsPodProps {
  /** ClusterIP of the `kube-dns` Service: the kubelet's `clusterDNS` address. */
  readonly serviceIP: string;
  /** Resolvers everything outside the cluster and stub zones is forwarded to (IP addresses). */
  readonly upstreams: readonly string[];
  /**
   * The cluster domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Zones sent straight to their own servers, e.g. the tier zone to every tier authority (forward
   * spreads queries over them and skips one that fails).
   * @default []
   */
  readonly stubZones?: readonly StubZone[];
  /**
   * Namespace to run in (kube-system, where kubeadm's CoreDNS is replaced).
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Run as a DaemonSet on every node instead of a Deployment.
   * @default false
   */
  readonly daemonSet?: boolean;
  /**
   * Scale the Deployment with a HorizontalPodAutoscaler on CPU (needs the metrics API). Not with `daemonSet`.
   * @default - a fixed `replicas`
   */
  readonly autoscaling?: DnsAutoscalingProps;
  /**
   * Every server block also listens on 53, the port kubeadm's CoreDNS pods declare. When Argo CD
   * replaces kubeadm's ConfigMap, kubeadm's pods that still run reload our Corefile while the Service
   * keeps sending them traffic on their port 53 until the rollout replaces them; listening there too
   * leaves no moment in which they answer nothing. Our own pods are reached on 1053 and bind 53 only
   * as a side effect (allowed by a namespaced sysctl, see CoreDns). Without it the cluster DNS would
   * black-hole the share of queries that lands on kubeadm's pods for the length of the rollout.
   * @default true
   */
  readonly takeover?: boolean;
  /**
   * Seconds a pod keeps answering after SIGTERM (CoreDNS's lameduck); the pods' termination grace
   * period is 10 s longer. kube-proxy keeps the UDP conntrack entries of a terminating endpoint that
   * still serves and deletes them only once the pod is gone from the EndpointSlice (and its rules
   * resynced, at most once a second); a client's new query from a source port that asked through one
   * of those entries follows it to the dead pod and times out. The kernel drops such an entry 30 s
   * after its last packet (`net.netfilter.nf_conntrack_udp_timeout`), and kube-proxy stops sending
   * new flows to a terminating pod within a second or two, so a pod that answers for 35 s leaves no
   * entry behind. Measured in the lab: with 5 s, 762 entries outlived the pod by 1.5 s and a query in
   * that window timed out. The cost: each pod takes 35 s to stop (rollouts, node drains). On nodes
   * with a longer UDP conntrack timeout, raise it past that timeout.
   * @default 35
   */
  readonly lameduckSeconds?: number;
}

/** Seconds the cluster DNS answers after SIGTERM: past the kernel's 30 s UDP conntrack timeout (see ClusterDnsProps.lameduckSeconds). */
export const CLUSTER_DNS_LAMEDUCK_SECONDS = 35;

/** The port kubeadm's CoreDNS addon listens on and declares as `dns`/`dns-tcp`. */
export const KUBEADM_DNS_PORT = 53;

/** An IP address, `IPv4:port` or `[IPv6]:port`. */
function isServerAddress(text: string): boolean {
  if (typeof text !== 'string') return false;
  if (parseIp(text)) return true;
  const m = /^(?:\[([^\]]+)\]|([^:\[\]]+)):(\d{1,5})$/.exec(text);
  return m !== null && parseIp(m[1] ?? m[2]) !== undefined && Number(m[3]) <= 65535;
}

/** What is wrong with ClusterDns props; the fleet layer reports these for every cluster. */
export function validateClusterDnsProps(props: ClusterDnsProps): PropIssue[] {
  const out = [...ipIssues('serviceIP', props.serviceIP, "set the kube-dns ClusterIP (the kubelet's clusterDNS)"), ...replicaIssues(props.replicas)];
  if (props.upstreams.length === 0) out.push({ field: 'upstreams', problem: 'is empty: names outside the cluster would not resolve', fix: 'list at least one resolver IP' });
  props.upstreams.forEach((u, i) => { if (!parseIp(u)) out.push({ field: `upstreams[${i}]`, problem: `${JSON.stringify(u)} is not an IP address`, fix: 'list resolvers by IP address' }); });
  (props.stubZones ?? []).forEach((z, i) => {
    if (z.servers.length === 0) out.push({ field: `stubZones[${i}].servers`, problem: `zone ${z.zone} has no server`, fix: 'list the servers of the zone, or drop the stub zone' });
    z.servers.forEach((s, j) => { if (!isServerAddress(s)) out.push({ field: `stubZones[${i}].servers[${j}]`, problem: `${JSON.stringify(s)} is not an IP address or IP:port`, fix: 'list each server as an IP address, IPv4:port or [IPv6]:port' }); });
  });
  const lameduck = props.lameduckSeconds;
  if (lameduck !== undefined && !(Number.isInteger(lameduck) && lameduck >= 0)) out.push({ field: 'lameduckSeconds', problem: `${JSON.stringify(lameduck)} is not a whole number of seconds`, fix: `give whole seconds, ${CLUSTER_DNS_LAMEDUCK_SECONDS} or more to outlast the kernel's UDP conntrack timeout` });
  return out;
}

/**
 * The cluster DNS: CoreDNS named `coredns` behind Service `kube-dns` at the kubelet's clusterDNS
 * address, taking over what kubeadm installed under the names and selector it uses (the workload and
 * Service are replaced whole on sync, see CoreDnsProps.replacesExisting). Stub zones (the tier zone)
 * go straight to their servers, so pods reach workloads of every cluster of the tier by name.
 *
 * ```ts
 * new ClusterDns(chart, 'dns', { serviceIP: '10.96.0.10', upstreams: ['10.0.0.53'],
 *   stubZones: [{ zone: 'prod.platform.example', servers: ['10.10.0.53'] }] });
 * ```
 */
export class ClusterDns extends Construct {
  readonly coredns: CoreDns;

  constructor(scope: Construct, id: string, props: ClusterDnsProps) {
    super(scope, id);
    throwIfIssues(`ClusterDns "${this.node.path}"`, validateClusterDnsProps(props));
    const namespace = dnsNamespace(this, props.namespace ?? 'kube-system', props.createNamespace);
    const lameduckSeconds = props.lameduckSeconds ?? CLUSTER_DNS_LAMEDUCK_SECONDS;
    this.coredns = new CoreDns(this, 'coredns', {
      name: 'coredns',
      namespace,
      corefile: clusterDnsCorefile({
        clusterDomain: props.clusterDomain ?? 'cluster.local',
        upstreams: props.upstreams,
        stubZones: props.stubZones ?? [],
        alsoPorts: (props.takeover ?? true) ? [KUBEADM_DNS_PORT] : [],
        lameduckSeconds,
      }),
      terminationGracePeriodSeconds: lameduckSeconds + 10,
      service: { type: 'ClusterIP', name: 'kube-dns', clusterIP: props.serviceIP },
      daemonSet: props.daemonSet,
      replicas: props.replicas,
      autoscaling: props.autoscaling && {
        minReplicas: props.autoscaling.minReplicas ?? 2,
        maxReplicas: props.autoscaling.maxReplicas,
        targetCpuUtilization: props.autoscaling.targetCpuUtilization ?? 70,
      },
      image: props.image,
      resources: props.podResources,
      rbacRules: KUBERNETES_PLUGIN_RULES,
      // kubeadm's addon selects its pods by k8s-app=kube-dns, and NetworkPolicies that allow DNS
      // traffic commonly select the same label.
      selectorLabels: { 'k8s-app': 'kube-dns' },
      replacesExisting: true,
      priorityClassName: 'system-cluster-critical',
      tolerations: [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ],
    });
  }
}
