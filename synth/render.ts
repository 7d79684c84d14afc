import { App } from 'cdk8s';
import { stringify } from 'yaml';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import type { StackClass } from '../fleet/stack-class';
import { ArgoCdAppsStack, ARGOCD_STACK_NAME } from '../stacks/argocd-apps';
import { defaultStacks } from '../stacks/index';
import type { FleetChart } from '../fleet/stack-class';
import type { KubeObject } from './kube-object';

/** One synthesized stack: its files (name → YAML text), in a stable order. */
export interface RenderedStack {
  readonly name: string;
  readonly files: ReadonlyMap<string, string>;
}

export interface RenderedCluster {
  readonly cluster: string;
  readonly stacks: readonly RenderedStack[];
}


/** The stack classes of a cluster, defaulted by role. */
export function stacksOf(cluster: Cluster): readonly StackClass[] {
  return cluster.stacks ?? defaultStacks(cluster);
}

/** Builds every chart of a cluster (its stacks, then its Argo CD Applications) in a fresh cdk8s App. */
export function buildClusterCharts(fleet: Fleet, cluster: Cluster): { app: App; stacks: FleetChart[]; argocd: ArgoCdAppsStack } {
  const app = new App({ outdir: '/nonexistent-fleetnet-outdir' });
  const stacks: FleetChart[] = [];
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

/**
 * Renders a cluster to file contents; nothing touches the disk. Pass the same `yamlCache` when
 * rendering many clusters, so objects they share are serialized once (see toYaml).
 */
export function renderCluster(fleet: Fleet, cluster: Cluster, yamlCache: YamlCache = new Map()): RenderedCluster {
  const { stacks, argocd } = buildClusterCharts(fleet, cluster);
  const rendered = [...stacks, argocd].map((chart) => ({
    name: chart.node.id,
    files: renderObjects(cluster.name, chart.node.id, chart.toJson() as KubeObject[], yamlCache),
  }));
  return { cluster: cluster.name, stacks: rendered };
}

/** YAML text of objects already serialized, keyed by their JSON text. */
export type YamlCache = Map<string, string>;

const YAML_OPTIONS = { version: '1.1', lineWidth: 0, sortMapEntries: false } as const;

/**
 * An object's YAML text. Most objects are the same in every cluster (93 % of the YAML bytes of a
 * generated fleet, most of it the MetalLB CRDs), and YAML serialization is most of the CPU time of
 * rendering, so the text of an identical object serialized before is reused.
 *
 * Reuse is byte-exact: `stringify` depends only on the value, and for a tree (no object reached
 * twice, which `stringify` would write as an alias) of plain objects, arrays, strings, booleans,
 * null, undefined and finite numbers other than -0, equal JSON text means an equal value to
 * `stringify` (it drops undefined map values and writes an undefined list item as null, as JSON
 * does). Anything else (NaN, -0, a class instance, a shared object) is serialized without the cache.
 * cdk8s output is always such a tree: it rebuilds every object and array when it resolves a chart.
 */
function toYaml(o: KubeObject, cache: YamlCache): string {
  if (!isJsonTree(o, new Set())) return stringify(o, YAML_OPTIONS);
  const key = JSON.stringify(o);
  let text = cache.get(key);
  if (text === undefined) {
    text = stringify(o, YAML_OPTIONS);
    cache.set(key, text);
  }
  return text;
}

/** Whether JSON text represents `v` exactly, as a tree (see toYaml). */
function isJsonTree(v: unknown, seen: Set<object>): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (seen.has(v)) return false;
      seen.add(v);
      if (Array.isArray(v)) return v.every((item) => isJsonTree(item, seen));
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const key in v) if (!isJsonTree((v as Record<string, unknown>)[key], seen)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** One file per object, named `<kind>.<name>.yaml` (plus the namespace when two objects would share a name). */
export function renderObjects(cluster: string, stack: string, objects: readonly KubeObject[], yamlCache: YamlCache = new Map()): Map<string, string> {
  const baseName = (o: KubeObject) => `${o.kind.toLowerCase()}.${o.metadata.name}`;
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
    entries.push([file, toYaml(o, yamlCache)]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(entries);
}
