import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { resolve } from 'node:path';
import type { Fleet } from '../fleet/fleet';
import { validateFleet } from '../fleet/validate';
import { ARGOCD_STACK_NAME } from '../stacks/argocd-apps';
import { CniStack } from '../stacks/cni';
import { MizarStack } from '../stacks/mizar';
import { ArgoCdInstall, type ImagePullPolicy } from './argocd-install';
import { argoCdInstallManifest } from './argocd-manifest';
import { checkFresh, readClusterFolder } from './charts-out';
import { clusterOfStack } from './cluster-of-stack';
import { DirectSync } from './direct-sync';
import { checkContextReaches, kubeconfigFiles } from './kubeconfig';
import { syncPlan, type SyncLevel } from './sync-plan';

/** What `pulumi stack output` shows. */
export interface BootstrapOutputs {
  readonly cluster: string;
  readonly mode: 'argocd' | 'direct';
  /** argocd: the Application Argo CD syncs everything else from. */
  readonly rootApplication?: string;
  /** The steps applied by Pulumi itself, in order (`<wave>: <stack> <object wave>/<phase> (<count>)`): direct mode's whole folder, argocd mode's pod network. */
  readonly steps?: readonly string[];
}

export interface BootstrapArgs {
  /** The fleet the cluster belongs to. */
  readonly fleet: Fleet;
  /** The cluster to bootstrap: the Pulumi stack name. */
  readonly stack: string;
  /** The folder the fleet was synthesized into (its `git.basePath` in this repository). */
  readonly chartsOut: string;
  /** The kubeconfig context that reaches the cluster; required (never the ambient current context). */
  readonly kubeconfigContext: string | undefined;
  /** @default $KUBECONFIG, else ~/.kube/config */
  readonly kubeconfig?: string;
  /** Argo CD's install manifest. @default manifests/install.yaml of the catalog's argo-cd/v3 module */
  readonly argocdManifest?: string;
  /** @default true (see objectResource) */
  readonly awaitWorkloads?: boolean;
  /**
   * Mode argocd: stacks of the cluster that Pulumi applies with the pod network, before Argo CD, because
   * Argo CD cannot run without them. Argo CD's components find each other by Service name, so a cluster
   * that has no DNS before its `cluster-dns` stack (created without kubeadm's CoreDNS addon) needs
   * `['cluster-dns']`. Argo CD takes them over from Git like the pod network.
   * @default [] (only the pod network: `cni` or `mizar` when the cluster has one)
   */
  readonly beforeArgoCd?: readonly string[];
  /** Mode argocd: install Argo CD's Dex server (see ArgoCdInstallArgs.dex). @default true */
  readonly argocdDex?: boolean;
  /** Mode argocd: the pull policy of Argo CD's containers (see ArgoCdInstallArgs.imagePullPolicy). @default - install.yaml's own */
  readonly argocdImagePullPolicy?: ImagePullPolicy;
}

/**
 * Stacks that give the cluster its pod network. Nothing else can run before them, Argo CD included: in
 * mode argocd they are applied by Pulumi first, and Argo CD takes them over once it runs.
 */
export const POD_NETWORK_STACKS: ReadonlySet<string> = new Set([CniStack.stackName, MizarStack.stackName]);

/**
 * Bootstraps one cluster of a fleet: checks everything first (the fleet, charts-out's freshness, the
 * kubeconfig context), then registers the resources of the cluster's mode.
 */
export function bootstrapCluster(args: BootstrapArgs): BootstrapOutputs {
  const { fleet, stack } = args;
  validateFleet(fleet);
  const cluster = clusterOfStack(fleet, stack);
  checkFresh(fleet, cluster, args.chartsOut);

  const context = args.kubeconfigContext ?? '';
  if (context.trim() === '') {
    throw new Error(`fleetnet-bootstrap:kubeconfigContext is not set for stack "${stack}". Fix: \`pulumi config set kubeconfigContext <the context of ${cluster.name}>\` (it goes to bootstrap/Pulumi.${cluster.name}.yaml)`);
  }
  checkContextReaches(cluster, context, kubeconfigFiles(args.kubeconfig));
  const folders = readClusterFolder(args.chartsOut, cluster.name);
  const plan = syncPlan(cluster.name, folders);
  const argocdFolder = folders.get(ARGOCD_STACK_NAME) ?? [];
  const root = argocdFolder.find((f) => f.object.kind === 'Application' && f.object.metadata.name === 'fleetnet-root');
  if (cluster.bootstrapMode === 'argocd' && !root) throw new Error(`charts-out/${cluster.name}/${ARGOCD_STACK_NAME}/ has no root Application fleetnet-root. Fix: run \`npm run synth\``);
  const installManifest = cluster.bootstrapMode === 'argocd' ? (args.argocdManifest ?? argoCdInstallManifest()) : '';
  const beforeArgoCd = checkBeforeArgoCd(cluster.name, args.beforeArgoCd ?? [], folders);

  // Our resource names are the objects' own, so a rename never turns into an unexpected delete.
  // ConfigMaps are updated in place, as Argo CD applies them (the provider would otherwise replace a
  // changed ConfigMap: delete it, then create it again).
  // An absolute path: the provider runs in another working directory (the Automation API's workspace),
  // and takes a kubeconfig it cannot open as a file for the file's contents.
  const kubeconfig = args.kubeconfig === undefined ? undefined : resolve(args.kubeconfig);
  const provider = new k8s.Provider(cluster.name, { context, kubeconfig, enableConfigMapMutable: true });
  const options = { provider };
  if (cluster.bootstrapMode === 'direct') {
    new DirectSync(cluster.name, { plan, awaitWorkloads: args.awaitWorkloads }, options);
    return { cluster: cluster.name, mode: 'direct', steps: stepsOf(plan) };
  }
  // Argo CD's own pods need the pod network: when one of our stacks provides it, it goes first (with
  // the stacks of beforeArgoCd).
  const first = new Set([...POD_NETWORK_STACKS, ...beforeArgoCd]);
  const network = plan.map((level) => ({ ...level, stacks: level.stacks.filter((s) => first.has(s.stack)) })).filter((level) => level.stacks.length > 0);
  const networkSync = network.length > 0 ? new DirectSync(`${cluster.name}-pod-network`, { plan: network, awaitWorkloads: args.awaitWorkloads }, options) : undefined;
  new ArgoCdInstall(
    'argocd',
    {
      rootApplication: root!.object,
      projects: argocdFolder.filter((f) => f.object.kind === 'AppProject').map((f) => f.object),
      installManifest,
      after: networkSync?.lastSteps,
      awaitWorkloads: args.awaitWorkloads,
      dex: args.argocdDex,
      imagePullPolicy: args.argocdImagePullPolicy,
    },
    options,
  );
  return { cluster: cluster.name, mode: 'argocd', rootApplication: `${root!.object.metadata.namespace}/${root!.object.metadata.name}`, steps: stepsOf(network) };
}

/** The stacks of beforeArgoCd, each a stack folder of the cluster (not its argocd folder). */
function checkBeforeArgoCd(cluster: string, stacks: readonly string[], folders: ReadonlyMap<string, unknown>): readonly string[] {
  const known = [...folders.keys()].filter((s) => s !== ARGOCD_STACK_NAME);
  for (const stack of stacks) {
    if (!known.includes(stack)) {
      throw new Error(`beforeArgoCd of ${cluster} names "${stack}", which is not a stack of charts-out/${cluster}/ (${known.join(', ')}). Fix: name one of those, or remove it from fleetnet-bootstrap:beforeArgoCd`);
    }
  }
  return stacks;
}

function stepsOf(plan: readonly SyncLevel[]): string[] {
  return plan.flatMap((level) => level.stacks.flatMap((s) => s.steps.map((step) => `${level.wave}: ${s.stack} ${step.wave}/${step.phase} (${step.objects.length})`)));
}

/**
 * The program as `pulumi up` runs it from bootstrap/: the fleet of clusters/index.ts, the committed
 * charts-out/, and the stack's settings (bootstrap/Pulumi.<cluster>.yaml): `kubeconfigContext`
 * (required), `kubeconfig`, `argocdManifest`, `argocdDex` (`"false"` leaves Dex out),
 * `argocdImagePullPolicy` and `beforeArgoCd` (stack names, comma-separated) (optional).
 */
export function bootstrap(stack: string, config: pulumi.Config, fleet: Fleet): BootstrapOutputs {
  return bootstrapCluster({
    fleet,
    stack,
    chartsOut: resolve(__dirname, '..', fleet.git.basePath),
    kubeconfigContext: config.get('kubeconfigContext'),
    kubeconfig: config.get('kubeconfig'),
    argocdManifest: config.get('argocdManifest'),
    argocdDex: config.getBoolean('argocdDex'),
    beforeArgoCd: stackList(config.get('beforeArgoCd')),
    argocdImagePullPolicy: config.get('argocdImagePullPolicy') as ImagePullPolicy | undefined,
  });
}

/** A comma-separated setting (`cluster-dns,metallb`) as stack names. */
export function stackList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
