import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { resolve } from 'node:path';
import { fleet } from '../clusters/index';
import { validateFleet } from '../fleet/validate';
import { ARGOCD_STACK_NAME } from '../stacks/argocd-apps';
import { ArgoCdInstall } from './argocd-install';
import { checkFresh, readClusterFolder } from './charts-out';
import { clusterOfStack } from './cluster-of-stack';
import { DirectSync } from './direct-sync';
import { checkContextReaches, kubeconfigFiles } from './kubeconfig';
import { syncPlan } from './sync-plan';

/** What `pulumi stack output` shows. */
export interface BootstrapOutputs {
  readonly cluster: string;
  readonly mode: 'argocd' | 'direct';
  /** argocd: the Application Argo CD syncs everything else from. */
  readonly rootApplication?: string;
  /** direct: the steps applied, in order (`<wave>: <stack> <object wave>/<phase> (<count>)`). */
  readonly steps?: readonly string[];
}

/**
 * Bootstraps the cluster named like the Pulumi stack. Stack settings (bootstrap/Pulumi.<cluster>.yaml):
 * `kubeconfigContext` (required) and `kubeconfig` (a file; default $KUBECONFIG, else ~/.kube/config).
 */
export function bootstrap(stack: string, config: pulumi.Config): BootstrapOutputs {
  validateFleet(fleet);
  const cluster = clusterOfStack(fleet, stack);
  const chartsOut = resolve(__dirname, '..', fleet.git.basePath);
  checkFresh(fleet, cluster, chartsOut);

  // Required: without it the provider would use whatever context is current on the operator's machine.
  const context = config.get('kubeconfigContext') ?? '';
  if (context.trim() === '') {
    throw new Error(`fleetnet-bootstrap:kubeconfigContext is not set for stack "${stack}". Fix: \`pulumi config set kubeconfigContext <the context of ${cluster.name}>\` (it goes to bootstrap/Pulumi.${cluster.name}.yaml)`);
  }
  const kubeconfig = config.get('kubeconfig');
  checkContextReaches(cluster, context, kubeconfigFiles(kubeconfig));
  const provider = new k8s.Provider(cluster.name, {
    context,
    kubeconfig,
    // Apply as Argo CD does: take over objects that already exist (kubeadm's kube-system/coredns
    // ConfigMap) and win field conflicts with their former managers. Our resource names are the
    // objects' own, so a rename never turns into an unexpected delete.
    upsertExistingObjects: true,
    enablePatchForce: true,
  });

  const folders = readClusterFolder(chartsOut, cluster.name);
  if (cluster.bootstrapMode === 'argocd') {
    const root = (folders.get(ARGOCD_STACK_NAME) ?? []).find((f) => f.object.kind === 'Application' && f.object.metadata.name === 'fleetnet-root');
    if (!root) throw new Error(`charts-out/${cluster.name}/${ARGOCD_STACK_NAME}/ has no root Application fleetnet-root. Fix: run \`npm run synth\``);
    new ArgoCdInstall('argocd', { rootApplication: root.object }, { provider });
    return { cluster: cluster.name, mode: 'argocd', rootApplication: `${root.object.metadata.namespace}/${root.object.metadata.name}` };
  }
  const plan = syncPlan(cluster.name, folders);
  new DirectSync(cluster.name, { plan }, { provider });
  const steps = plan.flatMap((level) => level.stacks.flatMap((s) => s.steps.map((step) => `${level.wave}: ${s.stack} ${step.wave}/${step.phase} (${step.objects.length})`)));
  return { cluster: cluster.name, mode: 'direct', steps };
}
