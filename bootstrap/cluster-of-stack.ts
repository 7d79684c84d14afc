import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';

/** The cluster a Pulumi stack bootstraps: the one named like the stack. */
export function clusterOfStack(fleet: Fleet, stack: string): Cluster {
  const found = fleet.clusters.find((c) => c.name === stack);
  if (found) return found;
  const names = fleet.clusters.map((c) => c.name);
  throw new Error(
    `Pulumi stack "${stack}" is not a cluster of the fleet (clusters/index.ts); each stack bootstraps the cluster of the same name. ` +
      `Fix: use a stack named after one of ${names.join(', ')} (\`pulumi stack select ${names[0] ?? '<cluster>'}\`), or add the cluster to the fleet first`,
  );
}
