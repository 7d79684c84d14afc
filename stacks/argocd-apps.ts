import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Application } from '../constructs/argocd/application';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import type { FleetStack } from './fleet-stack';

/** Folder (and stack name) of the Argo CD Applications under each cluster. */
export const ARGOCD_STACK_NAME = 'argocd';

export interface ArgoCdAppsStackProps {
  readonly cluster: Cluster;
  readonly fleet: Fleet;
  /** The cluster's stacks, each of which gets an Application. */
  readonly stacks: readonly FleetStack[];
  /** Sync wave of each stack, by stack name. */
  readonly waves: ReadonlyMap<string, number>;
}

/**
 * The app-of-apps of one cluster: a root Application that syncs `charts-out/<cluster>/argocd/`
 * (including itself, so it stays managed from Git), and one Application per stack.
 */
export class ArgoCdAppsStack extends Chart {
  constructor(scope: Construct, props: ArgoCdAppsStackProps) {
    super(scope, ARGOCD_STACK_NAME, { disableResourceNameHashes: true, labels: { 'app.kubernetes.io/part-of': 'fleetnet' } });
    const { fleet, cluster } = props;
    const pathOf = (stack: string) => `${fleet.git.basePath}/${cluster.name}/${stack}`;
    new Application(this, 'root', {
      name: 'fleetnet-root',
      repoURL: fleet.git.repoURL,
      targetRevision: fleet.git.revision,
      path: pathOf(ARGOCD_STACK_NAME),
    });
    for (const stack of props.stacks) {
      const name = stack.node.id;
      new Application(this, name, {
        name: `fleetnet-${name}`,
        repoURL: fleet.git.repoURL,
        targetRevision: fleet.git.revision,
        path: pathOf(name),
        syncWave: props.waves.get(name) ?? 0,
        serverSideApply: stack.sync.serverSideApply,
        ignoreDifferences: stack.sync.ignoreDifferences,
      });
    }
  }
}
