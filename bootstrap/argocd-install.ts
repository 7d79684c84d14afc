import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { charts } from '../constructs/catalog';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from './application-health';
import type { Manifest } from './charts-out';

export interface ArgoCdInstallArgs {
  /** The cluster's root Application (charts-out/<cluster>/argocd/application.fleetnet-root.yaml); its namespace is Argo CD's. */
  readonly rootApplication: Manifest;
}

/**
 * Argo CD from its Helm chart at the catalog's version, with the Application health check that makes
 * child Applications' sync waves count, then the cluster's root Application, which syncs the rest of
 * charts-out/<cluster>/ (its own folder included, so Git manages it from then on).
 */
export class ArgoCdInstall extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  readonly rootApplication: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ArgoCdInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('fleetnet:bootstrap:ArgoCd', name, {}, opts);
    const root = args.rootApplication;
    const namespace = root.metadata.namespace;
    if (!namespace) throw new Error(`the root Application ${root.metadata.name} has no namespace, so Argo CD's namespace is unknown. Fix: run \`npm run synth\``);
    this.release = new k8s.helm.v3.Release(
      'argocd',
      {
        name: 'argocd',
        namespace,
        createNamespace: true,
        chart: charts.argocd.chart,
        version: charts.argocd.version,
        repositoryOpts: { repo: charts.argocd.repository },
        values: { configs: { cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA } } },
      },
      { parent: this },
    );
    this.rootApplication = new k8s.apiextensions.CustomResource(
      root.metadata.name,
      root as k8s.apiextensions.CustomResourceArgs,
      { parent: this, dependsOn: [this.release] },
    );
    this.registerOutputs({});
  }
}
