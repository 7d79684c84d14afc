import { readClusterFolder } from '../../bootstrap/charts-out';
import type { KubeObject } from '../../synth/kube-object';

/** An object of charts-out/<cluster>/ with the key the engine's URNs give it (`<type token>::<resource name>`). */
export interface FolderObject {
  readonly folder: string;
  readonly object: KubeObject;
  readonly key: string;
}

export const typeToken = (o: KubeObject) => `kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`;
export const resourceKey = (o: KubeObject) => `${typeToken(o)}::${o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name}`;

/**
 * Sync-wave facts read straight from the files, the way Argo CD reads them (independent of
 * bootstrap/sync-plan.ts): stacks by their Application's wave, then objects by their own wave,
 * Namespaces and CRDs before the rest of a wave. `folders` limits it to some stacks.
 */
export function argoOrder(chartsOut: string, cluster: string, folders?: ReadonlySet<string>) {
  const all = readClusterFolder(chartsOut, cluster);
  const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
  const stackWave = new Map<string, number>();
  for (const f of all.get('argocd')!) {
    if (f.object.kind !== 'Application') continue;
    const folder = String((f.object.spec as { source: { path: string } }).source.path).split('/').pop()!;
    if (folder !== 'argocd') stackWave.set(folder, wave(f.object));
  }
  const objects: FolderObject[] = [...all]
    .filter(([folder]) => folder !== 'argocd' && (!folders || folders.has(folder)))
    .flatMap(([folder, files]) => files.map((f) => ({ folder, object: f.object, key: resourceKey(f.object) })));
  const isDefinition = (o: KubeObject) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition';
  /** Argo CD finishes `a` before it applies `b`. */
  const before = (a: FolderObject, b: FolderObject) => {
    const [sa, sb] = [stackWave.get(a.folder)!, stackWave.get(b.folder)!];
    if (sa !== sb) return sa < sb;
    if (a.folder !== b.folder) return false; // two Applications of one wave sync side by side
    if (wave(a.object) !== wave(b.object)) return wave(a.object) < wave(b.object);
    return isDefinition(a.object) && !isDefinition(b.object);
  };
  return { objects, before };
}
