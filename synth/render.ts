import { App } from 'cdk8s';
import { stringify } from 'yaml';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import type { StackClass } from '../fleet/stack-class';
import { ArgoCdAppsStack, ARGOCD_STACK_NAME } from '../stacks/argocd-apps';
import { defaultStacks } from '../stacks/index';
import type { FleetStack } from '../stacks/fleet-stack';

/** One synthesized stack: its files (name → YAML text), in a stable order. */
export interface RenderedStack {
  readonly name: string;
  readonly files: ReadonlyMap<string, string>;
}

export interface RenderedCluster {
  readonly cluster: string;
  readonly stacks: readonly RenderedStack[];
}

/** Kubernetes objects as cdk8s renders them. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

/** The stack classes of a cluster, defaulted by role. */
export function stacksOf(cluster: Cluster): readonly StackClass[] {
  return cluster.stacks ?? defaultStacks(cluster);
}

/** Builds every chart of a cluster (its stacks, then its Argo CD Applications) in a fresh cdk8s App. */
export function buildClusterCharts(fleet: Fleet, cluster: Cluster): { app: App; stacks: FleetStack[]; argocd: ArgoCdAppsStack } {
  const app = new App({ outdir: '/nonexistent-fleetnet-outdir' });
  const stacks: FleetStack[] = [];
  const waves = new Map<string, number>();
  for (const stackClass of stacksOf(cluster)) {
    if (stackClass.stackName === ARGOCD_STACK_NAME || waves.has(stackClass.stackName)) {
      throw new Error(`cluster "${cluster.name}", stacks: stack "${stackClass.stackName}" is listed twice or uses a reserved name. Fix: list each stack once`);
    }
    stacks.push(new stackClass(app, { cluster, fleet }));
    waves.set(stackClass.stackName, stackClass.syncWave);
  }
  const argocd = new ArgoCdAppsStack(app, { cluster, fleet, stacks, waves });
  return { app, stacks, argocd };
}

/** Renders a cluster to file contents; nothing touches the disk. */
export function renderCluster(fleet: Fleet, cluster: Cluster): RenderedCluster {
  const { stacks, argocd } = buildClusterCharts(fleet, cluster);
  const rendered = [...stacks, argocd].map((chart) => ({
    name: chart.node.id,
    files: renderObjects(cluster.name, chart.node.id, chart.toJson() as ManifestObject[]),
  }));
  return { cluster: cluster.name, stacks: rendered };
}

/** One file per object, named `<kind>.<name>.yaml` (plus the namespace when two objects would share a name). */
export function renderObjects(cluster: string, stack: string, objects: readonly ManifestObject[]): Map<string, string> {
  const baseName = (o: ManifestObject) => `${o.kind.toLowerCase()}.${o.metadata.name}`;
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(baseName(o), (counts.get(baseName(o)) ?? 0) + 1);
  const entries: [string, string][] = [];
  for (const o of objects) {
    const base = baseName(o);
    const file = `${counts.get(base)! > 1 && o.metadata.namespace ? `${o.kind.toLowerCase()}.${o.metadata.namespace}.${o.metadata.name}` : base}.yaml`;
    if (entries.some(([f]) => f === file)) {
      throw new Error(`cluster "${cluster}", stack "${stack}": two objects would be written to ${file}. Fix: give them distinct names`);
    }
    // YAML 1.1 quotes strings such as "on"/"yes" that Kubernetes' YAML parser would read as booleans.
    entries.push([file, stringify(o, { version: '1.1', lineWidth: 0, sortMapEntries: false })]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(entries);
}
