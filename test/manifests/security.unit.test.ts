import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILLED_BY_ANNOTATION } from '../../constructs/metallb/webhook';
import { loadChartsOut, LoadedObject } from './load';

const root = resolve(__dirname, '../..');
const objects = loadChartsOut(resolve(root, 'charts-out'));
const catalogText = readFileSync(resolve(root, 'constructs/catalog.ts'), 'utf8');

interface Container {
  name: string;
  image: string;
  resources?: { requests?: Record<string, string> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  securityContext?: { privileged?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; capabilities?: { add?: string[]; drop?: string[] }; seccompProfile?: { type: string } };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: { hostPath?: unknown }[];
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
}

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'Job']);
const podSpecOf = (o: LoadedObject) => (o.object.spec as { template: { spec: PodSpec } }).template.spec;
const workloads = objects.filter((o) => WORKLOADS.has(o.object.kind));

/** Capabilities Pod Security `baseline` allows to add (Kubernetes Pod Security Standards). */
const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const LEVELS = ['restricted', 'baseline', 'privileged'] as const;

/** The least Pod Security level a pod spec passes. */
function requiredLevel(pod: PodSpec): (typeof LEVELS)[number] {
  const containers = [...pod.containers, ...(pod.initContainers ?? [])];
  const privileged =
    pod.hostNetwork || pod.hostPID || pod.hostIPC || (pod.volumes ?? []).some((v) => v.hostPath) ||
    containers.some((c) => c.securityContext?.privileged || (c.securityContext?.capabilities?.add ?? []).some((cap) => !BASELINE_CAPS.has(cap)));
  if (privileged) return 'privileged';
  const restricted = containers.every((c) => {
    const sc = c.securityContext ?? {};
    const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
    return sc.allowPrivilegeEscalation === false && nonRoot === true && (sc.capabilities?.drop ?? []).includes('ALL') &&
      (sc.capabilities?.add ?? []).every((cap) => cap === 'NET_BIND_SERVICE') && (seccomp === 'RuntimeDefault' || seccomp === 'Localhost');
  });
  return restricted ? 'restricted' : 'baseline';
}

/**
 * Why a rendered Secret is not allowed in Git, or undefined when it is: only an EMPTY Secret (no `data`,
 * no `stringData`, not even an empty map) that names, in FILLED_BY_ANNOTATION, the component that
 * writes its content in the cluster.
 */
function secretProblem(secret: LoadedObject['object']): string | undefined {
  for (const field of ['data', 'stringData']) {
    if (field in secret) return `carries \`${field}\`: secret material never goes in Git`;
  }
  if (!secret.metadata.annotations?.[FILLED_BY_ANNOTATION]) return `is empty but does not say who fills it (annotation ${FILLED_BY_ANNOTATION})`;
  return undefined;
}

/** Namespaces we do not create (they exist on every cluster) and the level they run at. */
const SYSTEM_NAMESPACES: Record<string, (typeof LEVELS)[number]> = { 'kube-system': 'privileged', default: 'privileged' };

function namespaceLevel(cluster: string, name: string): (typeof LEVELS)[number] | undefined {
  const ns = objects.find((o) => o.cluster === cluster && o.object.kind === 'Namespace' && o.object.metadata.name === name);
  const label = ns?.object.metadata.labels?.['pod-security.kubernetes.io/enforce'] as (typeof LEVELS)[number] | undefined;
  return label ?? SYSTEM_NAMESPACES[name];
}

describe('security of every synthesized object', () => {
  it('no binding grants cluster-admin, and no role uses a wildcard', () => {
    for (const { file, object } of objects) {
      if (object.kind === 'ClusterRoleBinding' || object.kind === 'RoleBinding') {
        expect((object.roleRef as { name: string }).name, file).not.toMatch(/^(cluster-admin|admin|edit)$/);
      }
      if (object.kind === 'ClusterRole' || object.kind === 'Role') {
        for (const rule of (object.rules as { verbs: string[]; resources?: string[]; apiGroups?: string[] }[]) ?? []) {
          expect(rule.verbs, file).not.toContain('*');
          expect(rule.resources ?? [], file).not.toContain('*');
          expect(rule.apiGroups ?? [], file).not.toContain('*');
        }
      }
    }
  });

  it('no Secret carries data: a rendered Secret is empty and names who fills it in the cluster', () => {
    const secrets = objects.filter((o) => o.object.kind === 'Secret');
    expect(secrets.map((o) => [o.file, secretProblem(o.object)]).filter(([, problem]) => problem)).toEqual([]);
    // Today that is MetalLB's webhook certificate Secret, once per cluster running MetalLB.
    expect(new Set(secrets.map((o) => `${o.object.metadata.namespace}/${o.object.metadata.name}`))).toEqual(new Set(['metallb-system/metallb-webhook-cert']));
  });

  it('the Secret check can fail: data, stringData (even empty) and an unexplained empty Secret are refused', () => {
    const secret = (extra: Record<string, unknown>, annotations: Record<string, string> = { [FILLED_BY_ANNOTATION]: 'x' }) =>
      ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', annotations }, ...extra });
    expect(secretProblem(secret({ type: 'Opaque' }))).toBeUndefined();
    expect(secretProblem(secret({ data: { key: 'c2VjcmV0' } }))).toMatch(/carries `data`/);
    expect(secretProblem(secret({ data: {} }))).toMatch(/carries `data`/);
    expect(secretProblem(secret({ stringData: { key: 'secret' } }))).toMatch(/carries `stringData`/);
    expect(secretProblem(secret({}, {}))).toMatch(/does not say who fills it/);
  });

  it.each(workloads.map((w) => [w.file, w] as const))('%s: images from the catalog, requests set, probes on long-running containers', (file, w) => {
    const pod = podSpecOf(w);
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      const [image, tag] = c.image.split(/:(?=[^:/]+$)/);
      expect(catalogText, `${file} ${c.name}: ${c.image} is not pinned in constructs/catalog.ts`).toMatch(new RegExp(`image: '${image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}', version: '${tag}'`));
      expect(c.resources?.requests?.cpu, `${file} ${c.name}`).toBeTruthy();
      expect(c.resources?.requests?.memory, `${file} ${c.name}`).toBeTruthy();
    }
    if (w.object.kind !== 'Job') {
      for (const c of pod.containers) {
        expect(c.livenessProbe, `${file} ${c.name} liveness`).toBeTruthy();
        expect(c.readinessProbe, `${file} ${c.name} readiness`).toBeTruthy();
      }
    }
  });

  it.each(workloads.map((w) => [w.file, w] as const))('%s: its namespace allows what its pods need, and no more is asked', (file, w) => {
    const level = namespaceLevel(w.cluster, w.object.metadata.namespace!);
    expect(level, `${file}: namespace ${w.object.metadata.namespace} has no Pod Security level`).toBeDefined();
    const needed = requiredLevel(podSpecOf(w));
    expect(LEVELS.indexOf(needed), `${file} needs ${needed} but runs in a ${level} namespace`).toBeLessThanOrEqual(LEVELS.indexOf(level!));
  });

  it('every privileged-level namespace we create runs a pod that needs it', () => {
    for (const ns of objects.filter((o) => o.object.kind === 'Namespace' && o.object.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted')) {
      const inside = workloads.filter((w) => w.cluster === ns.cluster && w.object.metadata.namespace === ns.object.metadata.name);
      const most = inside.map((w) => LEVELS.indexOf(requiredLevel(podSpecOf(w)))).reduce((a, b) => Math.max(a, b), 0);
      expect(LEVELS[most], `${ns.file} is looser than its pods need`).toBe(ns.object.metadata.labels?.['pod-security.kubernetes.io/enforce']);
    }
  });

  it('the level check can fail: a privileged pod needs privileged', () => {
    expect(requiredLevel({ containers: [{ name: 'x', image: 'x', securityContext: { privileged: true } }] })).toBe('privileged');
    expect(requiredLevel({ containers: [{ name: 'x', image: 'x' }] })).toBe('baseline');
  });
});
