/**
 * Building blocks every component's pods share, so each construct states only what is special
 * about it (a capability, host networking) and says why.
 */

/** Recommended labels (app.kubernetes.io/*) for one component's objects. */
export function componentLabels(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'fleetnet',
  };
}

/** A container securityContext that passes Pod Security `restricted`. */
export function restrictedContainerSecurityContext(extra: { addCapabilities?: readonly string[]; runAsUser?: number } = {}) {
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

export function resources(spec: ResourceSpec) {
  return {
    requests: { cpu: spec.cpu, memory: spec.memory },
    limits: { memory: spec.memoryLimit ?? spec.memory, ...(spec.cpuLimit ? { cpu: spec.cpuLimit } : {}) },
  };
}

/**
 * Spread a workload's pods over zones (`topology.kubernetes.io/zone`) and hosts, softly
 * (`ScheduleAnyway`): a cluster without zone labels, or with fewer nodes than replicas, still runs every
 * pod, and a node loss or a zone loss takes at most its share. `pod-template-hash` counts each
 * rollout's pods on their own, so a rollout does not pile its new pods where the old ones were.
 */
export function spreadAcrossHostsAndZones(selector: Record<string, string>) {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selector } },
    matchLabelKeys: ['pod-template-hash'],
  }));
}

/** An HTTP GET probe. */
export function httpProbe(path: string, port: number | string, options: { periodSeconds?: number; failureThreshold?: number; initialDelaySeconds?: number } = {}) {
  return {
    httpGet: { path, port, scheme: 'HTTP' },
    periodSeconds: options.periodSeconds ?? 10,
    failureThreshold: options.failureThreshold ?? 3,
    timeoutSeconds: 5,
    ...(options.initialDelaySeconds !== undefined ? { initialDelaySeconds: options.initialDelaySeconds } : {}),
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
