import { Construct } from 'constructs';
import { syncWave } from '../common/workload';
import { Application as ApplicationResource } from '../imports/argoproj.io';
import { ARGOCD_NAMESPACE, IN_CLUSTER_SERVER, RESOURCES_FINALIZER } from './names';

/** A field Argo CD ignores when it compares live and desired state (`spec.ignoreDifferences[]`). */
export interface IgnoreDifference {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly kind: string;
  /** @default - every object of the kind */
  readonly name?: string;
  /** @default - every namespace */
  readonly namespace?: string;
  /** @default [] */
  readonly jsonPointers?: readonly string[];
  /** @default [] */
  readonly jqPathExpressions?: readonly string[];
}

/** Retry of a failed sync, with exponential backoff. */
export interface SyncRetry {
  /**
   * Attempts before giving up.
   * @default 10
   */
  readonly limit?: number;
  /**
   * First delay.
   * @default '10s'
   */
  readonly backoffDuration?: string;
  /**
   * Multiplier of each next delay.
   * @default 2
   */
  readonly backoffFactor?: number;
  /**
   * Longest delay.
   * @default '5m'
   */
  readonly backoffMaxDuration?: string;
}

export interface ApplicationProps {
  /** Application name (unique in the Argo CD namespace). */
  readonly name: string;
  /** Repository Argo CD reads the manifests from. */
  readonly repoURL: string;
  /** Branch, tag or commit. */
  readonly targetRevision: string;
  /** Folder of plain YAML in the repository. */
  readonly path: string;
  /**
   * Namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Argo CD project.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * Cluster the Application deploys to.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;
  /**
   * Sync wave: Argo CD syncs lower waves first and waits for them to be healthy.
   * @default 0
   */
  readonly syncWave?: number;
  /**
   * Apply server-side (large objects such as CRDs; fields shared with controllers).
   * @default false
   */
  readonly serverSideApply?: boolean;
  /** @default [] */
  readonly ignoreDifferences?: readonly IgnoreDifference[];
  /** @default - 10 attempts, 10s doubling up to 5m */
  readonly retry?: SyncRetry;
  /**
   * Put Argo CD's resources finalizer on the Application, so that deleting it deletes everything it
   * deployed. Off by default: deleting an app of the root (by hand, or the root pruning it after a bad
   * commit) would otherwise take kube-dns, CRDs with all their objects, or whole namespaces with it.
   * Without it, deleting the Application leaves its objects running, orphaned, until someone removes
   * them on purpose.
   * @default false
   */
  readonly cascadeDelete?: boolean;
}

/**
 * An Argo CD Application that syncs one folder of plain YAML, automated with prune and self-heal.
 * Deleting the Application leaves what it deployed in place unless `cascadeDelete` is set.
 */
export class Application extends Construct {
  readonly name: string;
  readonly apiObject: ApplicationResource;

  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id);
    this.name = props.name;
    const retry = props.retry ?? {};
    const ignore = props.ignoreDifferences ?? [];
    const syncOptions = [
      'PruneLast=true',
      ...(props.serverSideApply ? ['ServerSideApply=true'] : []),
      ...(ignore.length > 0 ? ['RespectIgnoreDifferences=true'] : []),
    ];
    this.apiObject = new ApplicationResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? ARGOCD_NAMESPACE,
        annotations: syncWave(props.syncWave ?? 0),
        ...(props.cascadeDelete ? { finalizers: [RESOURCES_FINALIZER] } : {}),
      },
      spec: {
        project: props.project ?? 'default',
        source: {
          repoUrl: props.repoURL,
          targetRevision: props.targetRevision,
          path: props.path,
          // Only the manifests: never a stray file someone drops in the folder.
          directory: { recurse: false, include: '*.yaml' },
        },
        destination: { server: props.destinationServer ?? IN_CLUSTER_SERVER },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions,
          retry: {
            limit: retry.limit ?? 10,
            backoff: {
              duration: retry.backoffDuration ?? '10s',
              factor: retry.backoffFactor ?? 2,
              maxDuration: retry.backoffMaxDuration ?? '5m',
            },
          },
        },
        ...(ignore.length > 0 ? { ignoreDifferences: ignore.map((d) => ({
          group: d.group,
          kind: d.kind,
          name: d.name,
          namespace: d.namespace,
          jsonPointers: d.jsonPointers && [...d.jsonPointers],
          jqPathExpressions: d.jqPathExpressions && [...d.jqPathExpressions],
        })) } : {}),
      },
    });
  }
}
