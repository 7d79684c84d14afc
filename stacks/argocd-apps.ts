import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Application } from '../constructs/argocd/application';
import { AppProject, GroupKind } from '../constructs/argocd/app-project';
import { addSyncOptions, SURVIVES_MISTAKES } from '../constructs/argocd/sync-options';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import type { FleetChart } from '../fleet/stack-class';
import { protectFromMistakes } from './protection';

/** Folder (and stack name) of the Argo CD Applications under each cluster. */
export const ARGOCD_STACK_NAME = 'argocd';
/** Namespace Argo CD runs in, where the Applications and the AppProject live. */
export const ARGOCD_NAMESPACE = 'argocd';
/** The cluster Argo CD runs in, which every Application deploys to. */
const IN_CLUSTER = 'https://kubernetes.default.svc';

export interface ArgoCdAppsStackProps {
  readonly cluster: Cluster;
  readonly fleet: Fleet;
  /** The cluster's stacks, each of which gets an Application. */
  readonly stacks: readonly FleetChart[];
  /** Sync wave of each stack, by stack name. */
  readonly waves: ReadonlyMap<string, number>;
}

/** The name of a cluster's AppProject. */
export function projectNameOf(cluster: Cluster): string {
  return `fleetnet-${cluster.name}`;
}

/**
 * The app-of-apps of one cluster: an AppProject `fleetnet-<cluster>` that allows exactly the
 * repository, namespaces and cluster-scoped kinds the cluster's stacks render; a root Application
 * that syncs `charts-out/<cluster>/argocd/` (including itself and the project, so both stay managed
 * from Git); and one Application per stack, all in that project.
 *
 * No Application cascades its deletion (see ApplicationProps.cascadeDelete), and the objects whose
 * loss is an outage carry `Delete=false,Prune=confirm` (see protectFromMistakes).
 */
export class ArgoCdAppsStack extends Chart {
  readonly project: AppProject;

  constructor(scope: Construct, props: ArgoCdAppsStackProps) {
    super(scope, ARGOCD_STACK_NAME, { disableResourceNameHashes: true, labels: { 'app.kubernetes.io/part-of': 'fleetnet' } });
    const { fleet, cluster } = props;
    const pathOf = (stack: string) => `${fleet.git.basePath}/${cluster.name}/${stack}`;
    for (const stack of props.stacks) protectFromMistakes(stack);

    const objects = props.stacks.flatMap((s) => s.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject));
    const namespaces = new Set<string>([ARGOCD_NAMESPACE]);
    // Applications and the AppProject are namespaced, in ARGOCD_NAMESPACE.
    const clusterKinds = new Map<string, GroupKind>();
    for (const o of objects) {
      const ns = o.metadata.namespace;
      if (ns) namespaces.add(ns);
      else {
        // cdk8s calls the core group "core"; Argo CD, like the API, calls it ''.
        const group = o.apiVersion.includes('/') ? o.apiGroup : '';
        clusterKinds.set(`${group}/${o.kind}`, { group, kind: o.kind });
      }
    }
    this.project = new AppProject(this, 'project', {
      name: projectNameOf(cluster),
      namespace: ARGOCD_NAMESPACE,
      description: `fleetnet on cluster ${cluster.name}: only its charts-out folder, namespaces and cluster-scoped kinds`,
      sourceRepos: [fleet.git.repoURL],
      // '' too: the Applications name no destination namespace (each object carries its own), and Argo
      // CD checks an Application's own destination against the project; without it the root Application
      // is refused (InvalidSpecError) and nothing ever syncs (found by the lab, test/lab/tier.test.ts).
      destinations: ['', ...namespaces].map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResources: [...clusterKinds.values()],
    });

    const common = { repoURL: fleet.git.repoURL, targetRevision: fleet.git.revision, project: this.project.name, namespace: ARGOCD_NAMESPACE, destinationServer: IN_CLUSTER };
    const root = new Application(this, 'root', { ...common, name: 'fleetnet-root', path: pathOf(ARGOCD_STACK_NAME) });
    // Without the project every Application of the cluster stops syncing; without the root nothing
    // follows Git any more. Neither goes because a file vanished or someone deleted the wrong app.
    addSyncOptions(this.project.apiObject, SURVIVES_MISTAKES);
    addSyncOptions(root.apiObject, SURVIVES_MISTAKES);
    for (const stack of props.stacks) {
      const name = stack.node.id;
      new Application(this, name, {
        ...common,
        name: `fleetnet-${name}`,
        path: pathOf(name),
        syncWave: props.waves.get(name) ?? 0,
        serverSideApply: stack.sync.serverSideApply,
        ignoreDifferences: stack.sync.ignoreDifferences,
      });
    }
  }
}
