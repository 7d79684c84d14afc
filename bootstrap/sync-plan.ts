import { ARGOCD_STACK_NAME } from '../stacks/argocd-apps';
import { SYNC_WAVE_ANNOTATION as SYNC_WAVE } from '../constructs/common/workload';
import type { ManifestFile } from './charts-out';
import type { KubeObject } from '../synth/kube-object';

/**
 * Kinds applied first inside a wave: Argo CD applies Namespaces and CRDs before every other kind
 * of the same wave and waits for them, so objects in that namespace and custom resources of that
 * CRD find them.
 */
const DEFINITION_KINDS: ReadonlySet<string> = new Set(['Namespace', 'CustomResourceDefinition']);

/** Objects applied together: one object wave of one stack, definitions or the rest. */
export interface SyncStep {
  readonly stack: string;
  /** The objects' `argocd.argoproj.io/sync-wave`. */
  readonly wave: number;
  readonly phase: 'definitions' | 'objects';
  readonly objects: readonly ManifestFile[];
}

/** A stack folder (one Argo CD Application): its steps, in order. */
export interface StackSync {
  readonly stack: string;
  /** The wave of the stack's Application. */
  readonly wave: number;
  readonly steps: readonly SyncStep[];
}

/** Stacks whose Applications share a wave: they sync side by side, after every stack of lower waves. */
export interface SyncLevel {
  readonly wave: number;
  readonly stacks: readonly StackSync[];
}

/**
 * The order in which Argo CD would sync a cluster's folder, from the folder itself: the stack
 * Applications in `argocd/` give each stack folder its wave; inside a stack, objects go by their own
 * sync wave, definitions (Namespaces, CRDs) first. The root Application and `argocd/` itself are not
 * part of the plan: they are what Argo CD would have done the ordering with.
 */
export function syncPlan(cluster: string, folders: ReadonlyMap<string, readonly ManifestFile[]>): SyncLevel[] {
  const applications = (folders.get(ARGOCD_STACK_NAME) ?? []).filter((f) => f.object.kind === 'Application');
  const stackWaves = new Map<string, number>();
  for (const app of applications) {
    const path = String((app.object.spec as { source?: { path?: string } } | undefined)?.source?.path ?? '');
    const segments = path.split('/');
    const [owner, folder] = segments.slice(-2);
    if (owner !== cluster) throw new Error(`charts-out/${cluster}/${app.path} syncs ${path}, which is not a folder of cluster "${cluster}". Fix: run \`npm run synth\``);
    if (folder === ARGOCD_STACK_NAME) continue; // the root Application
    if (!folders.has(folder)) throw new Error(`charts-out/${cluster}/${app.path} syncs ${path}, which does not exist. Fix: run \`npm run synth\``);
    stackWaves.set(folder, waveOf(app.object, `charts-out/${cluster}/${app.path}`));
  }
  for (const folder of folders.keys()) {
    if (folder !== ARGOCD_STACK_NAME && !stackWaves.has(folder)) {
      throw new Error(`charts-out/${cluster}/${folder}/ has no Application in charts-out/${cluster}/${ARGOCD_STACK_NAME}/, so its sync wave is unknown. Fix: run \`npm run synth\``);
    }
  }
  const stacks = [...stackWaves].map(([stack, wave]) => ({ stack, wave, steps: stepsOf(cluster, stack, folders.get(stack) ?? []) }));
  const waves = [...new Set(stacks.map((s) => s.wave))].sort((a, b) => a - b);
  return waves.map((wave) => ({ wave, stacks: stacks.filter((s) => s.wave === wave).sort((a, b) => a.stack.localeCompare(b.stack)) }));
}

function stepsOf(cluster: string, stack: string, files: readonly ManifestFile[]): SyncStep[] {
  const byWave = new Map<number, ManifestFile[]>();
  for (const f of files) {
    const wave = waveOf(f.object, `charts-out/${cluster}/${f.path}`);
    byWave.set(wave, [...(byWave.get(wave) ?? []), f]);
  }
  const steps: SyncStep[] = [];
  for (const wave of [...byWave.keys()].sort((a, b) => a - b)) {
    const inWave = byWave.get(wave)!;
    const definitions = inWave.filter((f) => DEFINITION_KINDS.has(f.object.kind));
    const objects = inWave.filter((f) => !DEFINITION_KINDS.has(f.object.kind));
    if (definitions.length > 0) steps.push({ stack, wave, phase: 'definitions', objects: definitions });
    if (objects.length > 0) steps.push({ stack, wave, phase: 'objects', objects });
  }
  return steps;
}

function waveOf(object: KubeObject, where: string): number {
  const raw = object.metadata.annotations?.[SYNC_WAVE];
  if (raw === undefined) return 0;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${where}: ${SYNC_WAVE} "${raw}" is not an integer. Fix: use syncWave() from constructs/common/workload.ts`);
  return Number(raw);
}
