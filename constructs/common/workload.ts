/**
 * Building blocks every component's pods share, so each construct states only what is special
 * about it (a capability, host networking) and says why. Typed as cdk8s-plus-27's k8s structs, so a
 * misspelt field fails the type check.
 */
import { k8s } from 'cdk8s-plus-27';

/** Recommended labels (app.kubernetes.io/*) for one component's objects. */
export function componentLabels(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'fleetnet',
  };
}

/** A container securityContext that passes Pod Security `restricted`. */
export function restrictedContainerSecurityContext(extra: { addCapabilities?: readonly string[]; runAsUser?: number } = {}): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    ...(extra.runAsUser !== undefined ? { runAsUser: extra.runAsUser, runAsGroup: extra.runAsUser } : {}),
    capabilities: { drop: ['ALL'], ...(extra.addCapabilities?.length ? { add: [...extra.addCapabilities] } : {}) },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Resource requests and limits; every container declares them. */
export interface ResourceSpec {
  readonly cpu: string;
  readonly memory: string;
  /** @default - no CPU limit (throttling a DNS server hurts more than it protects) */
  readonly cpuLimit?: string;
  /** @default - same as `memory` */
  readonly memoryLimit?: string;
}

export function resources(spec: ResourceSpec): k8s.ResourceRequirements {
  const q = k8s.Quantity.fromString;
  return {
    requests: { cpu: q(spec.cpu), memory: q(spec.memory) },
    limits: { memory: q(spec.memoryLimit ?? spec.memory), ...(spec.cpuLimit ? { cpu: q(spec.cpuLimit) } : {}) },
  };
}

/** A number or a name (of a port), as the API's IntOrString. */
export function intOrString(value: number | string): k8s.IntOrString {
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);
}

/** A container port: name, number, protocol. */
export function containerPort(name: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): k8s.ContainerPort {
  return { name, containerPort: port, protocol };
}

/** Copies tolerations given as plain records into the API's type. */
export function tolerations(list: readonly Record<string, string>[]): k8s.Toleration[] {
  return list.map((t) => ({ ...t }));
}

/** An env var read from the pod's own fields (`metadata.namespace`, `spec.nodeName`, ...). */
export function fieldRefEnv(name: string, fieldPath: string): k8s.EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

/**
 * Spread a workload's pods over zones (`topology.kubernetes.io/zone`) and hosts, softly
 * (`ScheduleAnyway`): a cluster without zone labels, or with fewer nodes than replicas, still runs every
 * pod, and a node loss or a zone loss takes at most its share. `pod-template-hash` counts each
 * rollout's pods on their own, so a rollout does not pile its new pods where the old ones were.
 */
export function spreadAcrossHostsAndZones(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selector } },
    matchLabelKeys: ['pod-template-hash'],
  }));
}

/** An HTTP GET probe. */
export function httpProbe(
  path: string, port: number | string, options: { periodSeconds?: number; failureThreshold?: number; initialDelaySeconds?: number; host?: string } = {},
): k8s.Probe {
  return {
    httpGet: { path, port: intOrString(port), scheme: 'HTTP', ...(options.host !== undefined ? { host: options.host } : {}) },
    periodSeconds: options.periodSeconds ?? 10,
    failureThreshold: options.failureThreshold ?? 3,
    timeoutSeconds: 5,
    ...(options.initialDelaySeconds !== undefined ? { initialDelaySeconds: options.initialDelaySeconds } : {}),
  };
}

/** A TCP connect probe (5 s timeout). */
export function tcpProbe(port: number | string, options: { periodSeconds?: number; failureThreshold?: number } = {}): k8s.Probe {
  return {
    tcpSocket: { port: intOrString(port) },
    periodSeconds: options.periodSeconds ?? 10,
    ...(options.failureThreshold !== undefined ? { failureThreshold: options.failureThreshold } : {}),
    timeoutSeconds: 5,
  };
}

/** The annotation that orders objects inside an Argo CD sync. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Argo CD sync wave annotation for one object inside a stack (CRDs before controllers before CRs). */
export function syncWave(wave: number): Record<string, string> {
  return { [SYNC_WAVE_ANNOTATION]: String(wave) };
}

/** The sync wave of an object; 0, as for Argo CD, when it has none. */
export function syncWaveOf(object: { metadata: { annotations?: Record<string, string> } }): number {
  return Number(object.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? '0');
}
