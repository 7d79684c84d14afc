import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from './application-health';
import type { Manifest } from './charts-out';
import { objectResource } from './kubernetes-object';

export interface ArgoCdInstallArgs {
  /** The cluster's root Application (charts-out/<cluster>/argocd/application.fleetnet-root.yaml); its namespace is Argo CD's. */
  readonly rootApplication: Manifest;
  /** The AppProject(s) of charts-out/<cluster>/argocd/: the root Application belongs to one, so it must exist first. */
  readonly projects: readonly Manifest[];
  /** Argo CD's install manifest (`manifests/install.yaml` of the argo-cd/v3 module; see argocd-manifest.ts). */
  readonly installManifest: string;
  /**
   * Resources Argo CD waits for: the cluster's pod network, when one of our stacks provides it.
   * @default []
   */
  readonly after?: readonly pulumi.Resource[];
  /** @default true (see objectResource) */
  readonly awaitWorkloads?: boolean;
  /**
   * Install Argo CD's Dex server (SSO). With `false`, the objects named `argocd-dex-server` are left out
   * of the install manifest: Argo CD then has its local users only (the admin account), which is all
   * a cluster without SSO configured in `argocd-cm` uses.
   * @default true
   */
  readonly dex?: boolean;
  /**
   * The `imagePullPolicy` of every container and init container of the install manifest. Most of them
   * say `Always`, which makes the kubelet ask the registry on every start; nodes whose images are
   * preloaded and that reach no registry (air-gapped nodes, the lab) need `IfNotPresent` or `Never`.
   * @default - the install manifest's own
   */
  readonly imagePullPolicy?: ImagePullPolicy;
}

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';
export const IMAGE_PULL_POLICIES: readonly ImagePullPolicy[] = ['Always', 'IfNotPresent', 'Never'];

/** How the install manifest is adapted (see ArgoCdInstallArgs). */
export interface InstallObjectsOptions {
  /** @default true */
  readonly dex?: boolean;
  /** @default - the manifest's own */
  readonly imagePullPolicy?: ImagePullPolicy;
}

/** The name install.yaml gives every object of Argo CD's Dex server. */
export const DEX_OBJECT_NAME = 'argocd-dex-server';

/** Kinds of the install manifest that have no namespace. */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Namespace']);

/**
 * Argo CD from its own install manifest, into the root Application's namespace (install.yaml names
 * `argocd` in its ClusterRoleBindings, so that is the only namespace it works in), with the Application
 * health check in `argocd-cm` that makes child Applications' sync waves count. Then the cluster's
 * AppProject and root Application, which syncs the rest of charts-out/<cluster>/ (its own folder
 * included, so Git manages it from then on).
 *
 * Order: the Namespace and CRDs, then every other object of the manifest (workloads awaited until
 * ready), then the AppProject, then the root Application.
 */
export class ArgoCdInstall extends pulumi.ComponentResource {
  readonly rootApplication: pulumi.CustomResource;

  constructor(name: string, args: ArgoCdInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('fleetnet:bootstrap:ArgoCd', name, {}, opts);
    const root = args.rootApplication;
    const namespace = root.metadata.namespace;
    if (namespace !== 'argocd') {
      throw new Error(`the root Application ${root.metadata.name} is in namespace "${namespace ?? ''}", but Argo CD's install manifest works only in "argocd". Fix: run \`npm run synth\``);
    }
    const objects = installObjects(args.installManifest, namespace, { dex: args.dex, imagePullPolicy: args.imagePullPolicy });
    const definitions = objects.filter((o) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition');
    const rest = objects.filter((o) => !definitions.includes(o));
    const options = { awaitWorkloads: args.awaitWorkloads };
    const first = definitions.map((o) => objectResource(o, { parent: this, dependsOn: [...(args.after ?? [])] }, options));
    const installed = rest.map((o) => objectResource(o, { parent: this, dependsOn: first }, options));
    const projects = args.projects.map((p) => objectResource(p, { parent: this, dependsOn: installed }, options));
    this.rootApplication = objectResource(root, { parent: this, dependsOn: [...installed, ...projects] }, options);
    this.registerOutputs({});
  }
}

/**
 * The objects of the install manifest, namespaced into `namespace`, plus that Namespace and the health
 * check; without Dex's objects when `options.dex` is false, every container's pull policy replaced when
 * `options.imagePullPolicy` is set.
 */
export function installObjects(manifestPath: string, namespace: string, options: InstallObjectsOptions = {}): Manifest[] {
  if (options.imagePullPolicy !== undefined && !IMAGE_PULL_POLICIES.includes(options.imagePullPolicy)) {
    throw new Error(`Argo CD's imagePullPolicy "${String(options.imagePullPolicy)}" is not one of ${IMAGE_PULL_POLICIES.join(', ')}. Fix: set fleetnet-bootstrap:argocdImagePullPolicy to one of them, or remove it`);
  }
  const objects: Manifest[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      // Argo CD's pods run as non-root without privileges; `restricted` is not met by all of them (redis, dex).
      metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' } } as Manifest['metadata'],
    },
  ];
  for (const doc of parseAllDocuments(readFileSync(manifestPath, 'utf8'))) {
    const o = doc.toJS() as Manifest | null;
    if (!o?.kind) continue;
    if (options.dex === false && o.metadata.name === DEX_OBJECT_NAME) continue;
    const metadata = CLUSTER_SCOPED.has(o.kind) ? o.metadata : { ...o.metadata, namespace };
    const data = o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm' ? { data: { ...(o.data as Record<string, string> | undefined), [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA } } : {};
    objects.push(withPullPolicy({ ...o, metadata, ...data }, options.imagePullPolicy));
  }
  if (options.dex === false && objects.length > 0 && !readFileSync(manifestPath, 'utf8').includes(`name: ${DEX_OBJECT_NAME}`)) {
    throw new Error(`${manifestPath} has no objects named ${DEX_OBJECT_NAME}, so leaving Dex out changed nothing: has the install manifest renamed it? Fix: check the manifest and DEX_OBJECT_NAME in bootstrap/argocd-install.ts`);
  }
  return objects;
}

type Container = { imagePullPolicy?: string };
type PodSpec = { containers?: Container[]; initContainers?: Container[] };

/** A workload with every container's imagePullPolicy set (a copy; other objects as they are). */
function withPullPolicy(o: Manifest, policy: ImagePullPolicy | undefined): Manifest {
  const template = (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template;
  if (policy === undefined || !template?.spec) return o;
  const set = (cs: Container[] | undefined) => cs?.map((c) => ({ ...c, imagePullPolicy: policy }));
  const spec = { ...template.spec, containers: set(template.spec.containers), ...(template.spec.initContainers ? { initContainers: set(template.spec.initContainers) } : {}) };
  return { ...o, spec: { ...(o.spec as object), template: { ...template, spec } } };
}
