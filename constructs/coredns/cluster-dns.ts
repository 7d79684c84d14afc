import { Construct } from 'constructs';
import type { Cluster } from '../../fleet/cluster';
import type { Fleet } from '../../fleet/fleet';
import { CoreDns } from './coredns';
import { clusterDnsCorefile } from './corefiles';
import { KUBERNETES_PLUGIN_RULES } from './rbac';

export interface ClusterDnsProps {
  /** The cluster whose DNS this is. */
  readonly cluster: Cluster;
  /** The fleet: its tier authority becomes a stub zone. */
  readonly fleet: Fleet;
  /**
   * Replicas when it runs as a Deployment.
   * @default 2
   */
  readonly replicas?: number;
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
}

/** The port kubeadm's CoreDNS addon listens on and declares as `dns`/`dns-tcp`. */
export const KUBEADM_DNS_PORT = 53;

/**
 * The cluster DNS: CoreDNS named `coredns` behind Service `kube-dns` in kube-system at the kubelet's
 * clusterDNS address, taking over what kubeadm installed under the names and selector it uses (the
 * workload and Service are replaced whole on sync, see CoreDnsProps.replacesExisting). The tier zone
 * goes straight to the tier authority, so pods reach workloads of every cluster of the tier by name.
 * Runs as a DaemonSet when the cluster sets `dns.daemonSet`.
 */
export class ClusterDns extends Construct {
  readonly coredns: CoreDns;

  constructor(scope: Construct, id: string, props: ClusterDnsProps) {
    super(scope, id);
    const { cluster, fleet } = props;
    const tier = fleet.tierOf(cluster);
    // Every authority of the tier: forward spreads queries over them and skips one that fails.
    const authorities = fleet.authoritiesOf(tier).map((a) => a.ip);
    this.coredns = new CoreDns(this, 'coredns', {
      name: 'coredns',
      namespace: 'kube-system',
      corefile: clusterDnsCorefile({
        clusterDomain: cluster.clusterDomain,
        upstreams: cluster.dns.upstreams,
        stubZones: [{ zone: tier.zone, servers: authorities }],
        alsoPorts: (props.takeover ?? true) ? [KUBEADM_DNS_PORT] : [],
      }),
      service: { type: 'ClusterIP', name: 'kube-dns', clusterIP: cluster.dns.serviceIP },
      daemonSet: cluster.dns.daemonSet,
      replicas: props.replicas,
      autoscaling: cluster.dns.autoscaling && {
        minReplicas: cluster.dns.autoscaling.minReplicas ?? 2,
        maxReplicas: cluster.dns.autoscaling.maxReplicas,
        targetCpuUtilization: cluster.dns.autoscaling.targetCpuUtilization ?? 70,
      },
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
