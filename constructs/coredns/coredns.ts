import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { images, ImageVersion, imageRef } from '../catalog';
import { dnsServerDisruptionBudget, dnsServerPodSpec, dnsServicePorts } from '../common/dns-server';
import { RbacRule, RoleGrant } from '../common/rbac';
import { componentLabels, httpProbe, intOrString, resources, ResourceSpec, tolerations } from '../common/workload';
import type { Corefile } from './corefile';
import { COREDNS_CONTAINER_PORT, COREDNS_USER, HEALTH_PORT, METRICS_PORT, READY_PORT, REPLACE_ON_SYNC } from './names';

/** How clients reach the DNS servers. */
export type DnsServiceProps =
  /** A ClusterIP Service, e.g. the cluster DNS at the kubelet's clusterDNS address. */
  | { readonly type: 'ClusterIP'; readonly name: string; readonly clusterIP: string }
  /** A LoadBalancer Service; `annotations` request the fixed address (see fixedLoadBalancerIp). */
  | { readonly type: 'LoadBalancer'; readonly name: string; readonly annotations: Record<string, string> };

export interface CoreDnsProps {
  /** Name of the Deployment/DaemonSet, ConfigMap and ServiceAccount. */
  readonly name: string;
  readonly namespace: string;
  /** The Corefile; its server blocks must listen on COREDNS_CONTAINER_PORT. */
  readonly corefile: Corefile;
  /**
   * More files in the config volume next to the Corefile (zone files), by file name.
   * @default {}
   */
  readonly files?: Record<string, string>;
  readonly service: DnsServiceProps;
  /**
   * Run one pod per node (DaemonSet) instead of a Deployment.
   * @default false
   */
  readonly daemonSet?: boolean;
  /**
   * Replicas of the Deployment. With more than one, pods prefer distinct nodes and a
   * PodDisruptionBudget keeps all but one up during drains.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The API permissions the plugins need, granted cluster-wide to the pods' ServiceAccount. With none,
   * the token is not even mounted.
   * @default []
   */
  readonly rbacRules?: readonly RbacRule[];
  /**
   * The CoreDNS image.
   * @default images.coredns (our build from images/coredns)
   */
  readonly image?: ImageVersion;
  /**
   * Requests and limits.
   * @default 100m CPU, 70Mi memory, 170Mi memory limit
   */
  readonly resources?: ResourceSpec;
  /**
   * Priority class of the pods: DNS is what every other workload needs to start or fail over.
   * @default 'system-cluster-critical'
   */
  readonly priorityClassName?: string;
  /**
   * Scale the Deployment on CPU with a HorizontalPodAutoscaler between these bounds instead of a fixed
   * `replicas` (which is then left out of the Deployment, so a sync does not fight the autoscaler).
   * @default - a fixed replica count
   */
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number; readonly targetCpuUtilization: number };
  /**
   * Tolerations of the pods.
   * @default []
   */
  readonly tolerations?: readonly Record<string, string>[];
  /**
   * Labels the workload, Services and PodDisruptionBudget select the pods by. A Deployment's selector
   * cannot change, so when these objects take over existing ones, use the existing selector.
   * @default { 'app.kubernetes.io/name': name }
   */
  readonly selectorLabels?: Record<string, string>;
  /**
   * Objects of the same names already exist, made by someone else (kubeadm's CoreDNS addon), and are
   * to become exactly ours. Merging into them (client- or server-side apply) would keep their ports,
   * volumes and mounts next to ours, which the API server refuses as duplicates; so Argo CD is told
   * to replace the workload and the Service whole (`Replace=true`) instead.
   * @default false
   */
  readonly replacesExisting?: boolean;
  /**
   * Seconds the kubelet waits after SIGTERM before it kills a pod; longer than the Corefile's lameduck.
   * @default - Kubernetes' 30
   */
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * CoreDNS with a given Corefile: ServiceAccount (and ClusterRole only for what its plugins call),
 * ConfigMap, Deployment or DaemonSet with health/ready probes and metrics, Service on 53 UDP+TCP, and
 * a metrics Service on 9153.
 */
export class CoreDns extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly corefile: Corefile;
  /** The workload object (escape hatch). */
  readonly workload: k8s.KubeDeployment | k8s.KubeDaemonSet;
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: CoreDnsProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.corefile = props.corefile;
    const replicas = props.replicas ?? 2;
    const rules = props.rbacRules ?? [];
    const selector = props.selectorLabels ?? { 'app.kubernetes.io/name': props.name };
    // The selector labels on every object too: tools look kubeadm's DNS up by them (`-l k8s-app=kube-dns`).
    const labels = { ...componentLabels(props.name, 'dns'), ...selector };
    const meta = (name: string): k8s.ObjectMeta => ({ name, namespace: props.namespace, labels });
    const replaced = (name: string): k8s.ObjectMeta => ({ ...meta(name), ...(props.replacesExisting ? { annotations: { ...REPLACE_ON_SYNC } } : {}) });
    for (const block of props.corefile.blocks) {
      if (block.port !== COREDNS_CONTAINER_PORT) {
        throw new Error(`CoreDns "${props.name}": server block ${block.zones.join(' ')} listens on ${block.port}; use COREDNS_CONTAINER_PORT (${COREDNS_CONTAINER_PORT}), the Service maps 53 to it`);
      }
    }
    if (props.autoscaling) {
      if (props.daemonSet) throw new Error(`CoreDns "${props.name}": autoscaling applies to a Deployment; a DaemonSet already runs one pod per node. Fix: drop one of the two`);
      const a = props.autoscaling;
      if (!(a.minReplicas >= 1 && a.maxReplicas >= a.minReplicas)) throw new Error(`CoreDns "${props.name}": autoscaling needs 1 <= minReplicas <= maxReplicas, got ${a.minReplicas}..${a.maxReplicas}`);
    }

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta(props.name), automountServiceAccountToken: rules.length > 0 });
    if (rules.length > 0) {
      new RoleGrant(this, 'Grant', {
        name: `fleetnet-${props.namespace}-${props.name}`,
        rules,
        serviceAccount: { name: props.name, namespace: props.namespace },
        labels,
      });
    }

    new k8s.KubeConfigMap(this, 'ConfigMap', { metadata: meta(props.name), data: { Corefile: props.corefile.render(), ...props.files } });

    // A block that also listens below 1024 (kubeadm's port 53 during a takeover) binds it without
    // NET_BIND_SERVICE: the pod's own network namespace lets unprivileged processes bind from that port
    // on. A namespaced, "safe" sysctl, which Pod Security `restricted` admits.
    const lowest = Math.min(...props.corefile.blocks.flatMap((b) => [b.port, ...b.alsoPorts]));
    const spread = (replicas > 1 || props.autoscaling) && !props.daemonSet;
    const podSpec = dnsServerPodSpec({
      serviceAccountName: props.name,
      automountServiceAccountToken: rules.length > 0,
      user: COREDNS_USER,
      sysctls: lowest < 1024 ? [{ name: 'net.ipv4.ip_unprivileged_port_start', value: String(lowest) }] : [],
      priorityClassName: props.priorityClassName,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
      // Names in the Corefile are resolved by CoreDNS itself, never through the cluster DNS it may be.
      dnsPolicy: 'Default',
      tolerations: tolerations(props.tolerations ?? []),
      spreadSelector: spread ? selector : undefined,
      server: {
        name: 'coredns',
        image: imageRef(props.image ?? images.coredns),
        args: ['-conf', '/etc/coredns/Corefile'],
        dnsPort: COREDNS_CONTAINER_PORT,
        metricsPort: METRICS_PORT,
        livenessProbe: httpProbe('/health', HEALTH_PORT, { failureThreshold: 5, initialDelaySeconds: 60 }),
        readinessProbe: httpProbe('/ready', READY_PORT),
        resources: resources(props.resources ?? { cpu: '100m', memory: '70Mi', memoryLimit: '170Mi' }),
        volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
      },
      volumes: [{ name: 'config', configMap: { name: props.name } }],
    });
    const template: k8s.PodTemplateSpec = { metadata: { labels: { ...labels, ...selector } }, spec: podSpec };
    const one = k8s.IntOrString.fromNumber(1);
    this.workload = props.daemonSet
      ? new k8s.KubeDaemonSet(this, 'DaemonSet', {
          metadata: replaced(props.name),
          spec: { selector: { matchLabels: selector }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: one } }, template },
        })
      : new k8s.KubeDeployment(this, 'Deployment', {
          metadata: replaced(props.name),
          spec: {
            ...(props.autoscaling ? {} : { replicas }),
            selector: { matchLabels: selector },
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: one, maxSurge: intOrString('25%') } },
            template,
          },
        });
    if (props.autoscaling) {
      const a = props.autoscaling;
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'HorizontalPodAutoscaler', {
        metadata: meta(props.name),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
          minReplicas: a.minReplicas,
          maxReplicas: a.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCpuUtilization } } }],
          // Up at once on a burst; down slowly, so a short lull does not leave too few pods for the next.
          behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
        },
      });
    }
    if (spread) dnsServerDisruptionBudget(this, meta(props.name), selector);

    const svc = props.service;
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: withAnnotations(replaced(svc.name), svc.type === 'LoadBalancer' ? svc.annotations : {}),
      spec: { type: svc.type, clusterIp: svc.type === 'ClusterIP' ? svc.clusterIP : undefined, selector, ports: dnsServicePorts() },
    });
    new k8s.KubeService(this, 'MetricsService', {
      metadata: { ...meta(`${props.name}-metrics`), annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT) } },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: intOrString('metrics'), protocol: 'TCP' }] },
    });
  }
}

function withAnnotations(metadata: k8s.ObjectMeta, more: Record<string, string>): k8s.ObjectMeta {
  const annotations = { ...metadata.annotations, ...more };
  return Object.keys(annotations).length > 0 ? { ...metadata, annotations } : metadata;
}
