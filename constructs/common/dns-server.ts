/**
 * The shape every DNS server pod of fleetnet has (CoreDNS and PowerDNS): DNS on an unprivileged port
 * named `dns`/`dns-tcp` that the Service maps 53 to, so no container adds NET_BIND_SERVICE and the pod
 * passes Pod Security `restricted`; a fixed non-root user; cluster-critical priority; spread over zones
 * and hosts when there is more than one pod; and a disruption budget that keeps all but one up.
 */
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { containerPort, restrictedContainerSecurityContext, spreadAcrossHostsAndZones } from './workload';

export interface DnsServerContainerProps {
  readonly name: string;
  /** Image reference `repository:tag`. */
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - none */
  readonly args?: readonly string[];
  /** @default - none */
  readonly env?: readonly k8s.EnvVar[];
  /** Port the server answers DNS on inside the pod, UDP and TCP (ports `dns` and `dns-tcp`). */
  readonly dnsPort: number;
  /**
   * Port of the Prometheus metrics (port `metrics`).
   * @default - none
   */
  readonly metricsPort?: number;
  readonly livenessProbe: k8s.Probe;
  readonly readinessProbe: k8s.Probe;
  readonly resources: k8s.ResourceRequirements;
  readonly volumeMounts: readonly k8s.VolumeMount[];
}

/** The DNS server's container: its ports, probes and resources, under the `restricted` security context. */
export function dnsServerContainer(props: DnsServerContainerProps): k8s.Container {
  return {
    name: props.name,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    ...(props.command ? { command: [...props.command] } : {}),
    ...(props.args ? { args: [...props.args] } : {}),
    ...(props.env ? { env: [...props.env] } : {}),
    ports: [
      containerPort('dns', props.dnsPort, 'UDP'),
      containerPort('dns-tcp', props.dnsPort, 'TCP'),
      ...(props.metricsPort !== undefined ? [containerPort('metrics', props.metricsPort)] : []),
    ],
    livenessProbe: props.livenessProbe,
    readinessProbe: props.readinessProbe,
    resources: props.resources,
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [...props.volumeMounts],
  };
}

export interface DnsServerPodProps {
  readonly serviceAccountName: string;
  /** Whether the pod gets the ServiceAccount token (only when the server itself reads the API). */
  readonly automountServiceAccountToken: boolean;
  /** The UID and GID the pod runs as. */
  readonly user: number;
  /**
   * Group of the pod's volumes.
   * @default - none
   */
  readonly fsGroup?: number;
  /** @default [] */
  readonly sysctls?: readonly k8s.Sysctl[];
  /**
   * DNS is what every other workload needs to start or fail over, and a server with a fixed address is
   * the only one for the zones delegated to it.
   * @default 'system-cluster-critical'
   */
  readonly priorityClassName?: string;
  /** @default - the cluster's (ClusterFirst) */
  readonly dnsPolicy?: string;
  /**
   * Seconds the kubelet waits after SIGTERM before it kills a pod (longer than the server's own lameduck).
   * @default - Kubernetes' 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /** @default [] */
  readonly tolerations?: readonly k8s.Toleration[];
  /**
   * Spread the pods over zones and hosts, counted by these labels.
   * @default - no spread (one pod, or one per node)
   */
  readonly spreadSelector?: Record<string, string>;
  /** @default [] */
  readonly initContainers?: readonly k8s.Container[];
  readonly server: DnsServerContainerProps;
  /** Containers next to the server (external-dns). @default [] */
  readonly sidecars?: readonly k8s.Container[];
  readonly volumes: readonly k8s.Volume[];
}

/** The pod spec of a DNS server. */
export function dnsServerPodSpec(props: DnsServerPodProps): k8s.PodSpec {
  return {
    serviceAccountName: props.serviceAccountName,
    automountServiceAccountToken: props.automountServiceAccountToken,
    priorityClassName: props.priorityClassName ?? 'system-cluster-critical',
    ...(props.dnsPolicy ? { dnsPolicy: props.dnsPolicy } : {}),
    ...(props.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: props.terminationGracePeriodSeconds } : {}),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: props.user,
      runAsGroup: props.user,
      ...(props.fsGroup !== undefined ? { fsGroup: props.fsGroup } : {}),
      seccompProfile: { type: 'RuntimeDefault' },
      ...(props.sysctls?.length ? { sysctls: [...props.sysctls] } : {}),
    },
    ...(props.tolerations?.length ? { tolerations: [...props.tolerations] } : {}),
    ...(props.spreadSelector ? { topologySpreadConstraints: spreadAcrossHostsAndZones(props.spreadSelector) } : {}),
    ...(props.initContainers?.length ? { initContainers: [...props.initContainers] } : {}),
    containers: [dnsServerContainer(props.server), ...(props.sidecars ?? [])],
    volumes: [...props.volumes],
  };
}

/** The ports of a DNS Service: 53 UDP and TCP to the pods' `dns` and `dns-tcp`. */
export function dnsServicePorts(): k8s.ServicePort[] {
  return [
    { name: 'dns', port: 53, targetPort: k8s.IntOrString.fromString('dns'), protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, targetPort: k8s.IntOrString.fromString('dns-tcp'), protocol: 'TCP' },
  ];
}

/** A PodDisruptionBudget that keeps all but one DNS server up during drains. */
export function dnsServerDisruptionBudget(scope: Construct, metadata: k8s.ObjectMeta, selector: Record<string, string>): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'PodDisruptionBudget', {
    metadata,
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
}
