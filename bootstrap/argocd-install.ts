import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from './application-health';
import type { KubeObject } from '../synth/kube-object';
import { objectResource } from './kubernetes-object';

export interface ArgoCdInstallArgs {
  /** The cluster's root Application (charts-out/<cluster>/argocd/application.fleetnet-root.yaml); its namespace is Argo CD's. */
  readonly rootApplication: KubeObject;
  /** The AppProject(s) of charts-out/<cluster>/argocd/: the root Application belongs to one, so it must exist first. */
  readonly projects: readonly KubeObject[];
  /** Argo CD's install manifest (`manifests/install.yaml` of the argo-cd/v3 module; see argocd-manifest.ts). */
  readonly installManifest: string;
  /**
   * Resources Argo CD waits for: the cluster's pod network, when one of our stacks provides it.
   * @default []
   */
  readonly after?: readonly pulumi.Resource[];
  /** @default true (see objectResource) */
  readonly awaitWorkloads?: boolean;
}

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
    const objects = installObjects(args.installManifest, namespace);
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

/** The objects of the install manifest, namespaced into `namespace`, plus that Namespace and the health check. */
export function installObjects(manifestPath: string, namespace: string): KubeObject[] {
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      // Argo CD's pods run as non-root without privileges; `restricted` is not met by all of them (redis, dex).
      metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' } } as KubeObject['metadata'],
    },
  ];
  for (const doc of parseAllDocuments(readFileSync(manifestPath, 'utf8'))) {
    const o = doc.toJS() as KubeObject | null;
    if (!o?.kind) continue;
    const metadata = CLUSTER_SCOPED.has(o.kind) ? o.metadata : { ...o.metadata, namespace };
    const data = o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm' ? { data: { ...(o.data as Record<string, string> | undefined), [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA } } : {};
    objects.push({ ...o, metadata, ...data });
  }
  return objects;
}
