import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from '../../bootstrap/application-health';
import { KubeObject, LabKube } from './kube';

/**
 * What an Argo CD install puts in the cluster besides its Deployments, for a controller and a
 * repo-server that run as host processes: the CRDs they use (from the Argo CD module), the namespace, the three
 * settings objects Argo CD reads (labelled as part of Argo CD, or it ignores them), and the `default`
 * AppProject that argocd-server would create. Applied server-side with the field manager `fleetnet-lab`.
 */

export interface InstallObjectsOptions {
  readonly namespace: string;
  /** Folder of the module's `*-crd.yaml` files (.cache/argocd-<version>/crds). */
  readonly crdDir: string;
  /** Keys added to argocd-cm (they win over the lab's own). */
  readonly extraSettings?: Readonly<Record<string, string>>;
  /** Install the Application health check the bootstrap installs (bootstrap/application-health.ts). */
  readonly applicationHealthCheck: boolean;
}

const PART_OF = { 'app.kubernetes.io/part-of': 'argocd' };

/**
 * Kinds the control plane creates by the thousand and no Application owns; Argo CD's own install
 * excludes the same from its watches (resource.exclusions in its argocd-cm).
 */
const RESOURCE_EXCLUSIONS = `- apiGroups: ['', discovery.k8s.io]
  kinds: [Endpoints, EndpointSlice]
- apiGroups: [coordination.k8s.io]
  kinds: [Lease]
- apiGroups: [authentication.k8s.io, authorization.k8s.io]
  kinds: [SelfSubjectReview, TokenReview, LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview]
- apiGroups: [certificates.k8s.io]
  kinds: [CertificateSigningRequest]
`;

/**
 * The kinds of the CRDs installed: what the application-controller and repo-server use. ApplicationSet
 * belongs to the applicationset-controller, which the lab does not run; its 1.5 MB schema alone made
 * the API server take some 15 s longer to establish the CRDs on a busy 2-core machine.
 */
export const LAB_CRD_KINDS: readonly string[] = ['Application', 'AppProject'];

export function argoCdCrds(crdDir: string, kinds: readonly string[] = LAB_CRD_KINDS): KubeObject[] {
  const files = readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();
  if (files.length === 0) throw new Error(`no CRDs in ${crdDir}: run tools/argocd/build.sh`);
  return files.flatMap((f) =>
    parseAllDocuments(readFileSync(join(crdDir, f), 'utf8'))
      .map((d) => d.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => !!o && o.kind === 'CustomResourceDefinition')
      .filter((o) => kinds.includes((o.spec as { names: { kind: string } }).names.kind)),
  );
}

export function settingsObjects(options: InstallObjectsOptions): { object: KubeObject; plural: string }[] {
  const ns = options.namespace;
  const cm: Record<string, string> = { 'resource.exclusions': RESOURCE_EXCLUSIONS };
  if (options.applicationHealthCheck) cm[APPLICATION_HEALTH_KEY] = APPLICATION_HEALTH_LUA;
  Object.assign(cm, options.extraSettings ?? {});
  return [
    {
      plural: 'namespaces',
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...PART_OF, 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    },
    { plural: 'configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ns, labels: PART_OF }, data: cm } },
    // No users and no UI here: the RBAC settings only have to exist.
    { plural: 'configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: ns, labels: PART_OF }, data: {} } },
    {
      plural: 'secrets',
      object: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'argocd-secret', namespace: ns, labels: PART_OF },
        type: 'Opaque',
        stringData: { 'server.secretkey': randomBytes(32).toString('base64') },
      },
    },
    {
      plural: 'appprojects',
      object: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'default', namespace: ns },
        spec: {
          sourceRepos: ['*'],
          destinations: [{ server: '*', namespace: '*' }],
          clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        },
      },
    },
  ];
}

/** Applies the CRDs, waits (bounded) until they are Established, then the settings objects. */
export async function applyInstallObjects(kube: LabKube, options: InstallObjectsOptions, timeoutMs = 60_000): Promise<void> {
  const crds = argoCdCrds(options.crdDir);
  for (const crd of crds) await kube.apply(crd, 'customresourcedefinitions');
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (let i = 0; ; i++) {
      const live = await kube.get('apiextensions.k8s.io/v1', 'customresourcedefinitions', crd.metadata.name);
      const established = (live?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
      if (established) break;
      if (Date.now() > deadline || i > 600) throw new Error(`Argo CD CRD ${crd.metadata.name} not Established within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  for (const { object, plural } of settingsObjects(options)) {
    for (let i = 0; ; i++) {
      try {
        await kube.apply(object, plural);
        break;
      } catch (e) {
        // A just-Established CRD can take a moment to be served.
        if (object.kind !== 'AppProject' || i >= 50 || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
