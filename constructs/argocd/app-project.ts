import { Construct } from 'constructs';
import { syncWave } from '../common/workload';
import { AppProject as AppProjectResource } from '../imports/argoproj.io';
import { APP_PROJECT_SYNC_WAVE, ARGOCD_NAMESPACE } from './names';

/** A Kubernetes kind by API group ('' for the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** Where an Application of the project may deploy. */
export interface ProjectDestination {
  /** API server URL. */
  readonly server: string;
  /** Namespace objects may be put in. */
  readonly namespace: string;
}

export interface AppProjectProps {
  /** Project name (unique in the Argo CD namespace). */
  readonly name: string;
  /**
   * Namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /** @default - none */
  readonly description?: string;
  /** Repositories the project's Applications may read from (exact URLs, no wildcard). */
  readonly sourceRepos: readonly string[];
  /** Server and namespace pairs the Applications may deploy namespaced objects to. */
  readonly destinations: readonly ProjectDestination[];
  /**
   * Cluster-scoped kinds the Applications may create, change or delete. Argo CD allows none that is
   * not listed, so a commit that adds, say, a ClusterRoleBinding to cluster-admin is refused at sync.
   */
  readonly clusterResources: readonly GroupKind[];
  /**
   * Sync wave of the project itself inside the folder that holds it.
   * @default -1 (before the Applications that name it)
   */
  readonly syncWave?: number;
}

/**
 * An Argo CD AppProject: the boundary of what its Applications may touch. The `default` project
 * Argo CD ships allows every repository, every destination and every cluster-scoped kind; this one
 * allows exactly what is listed.
 */
export class AppProject extends Construct {
  readonly name: string;
  readonly apiObject: AppProjectResource;

  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id);
    if (props.sourceRepos.some((r) => r.includes('*'))) throw new Error(`AppProject "${props.name}": sourceRepos must be exact URLs, not patterns. Fix: list the repository URL`);
    this.name = props.name;
    const sortedKinds = [...props.clusterResources].sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`));
    const sortedDestinations = [...props.destinations].sort((a, b) => `${a.server} ${a.namespace}`.localeCompare(`${b.server} ${b.namespace}`));
    this.apiObject = new AppProjectResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? ARGOCD_NAMESPACE,
        annotations: syncWave(props.syncWave ?? APP_PROJECT_SYNC_WAVE),
      },
      spec: {
        ...(props.description ? { description: props.description } : {}),
        sourceRepos: [...props.sourceRepos],
        destinations: sortedDestinations.map((d) => ({ server: d.server, namespace: d.namespace })),
        clusterResourceWhitelist: sortedKinds.map((k) => ({ group: k.group, kind: k.kind })),
      },
    });
  }
}
