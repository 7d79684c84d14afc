import type { ApiObject } from 'cdk8s';
import { SYNC_OPTIONS_ANNOTATION } from './names';

/**
 * Options that keep an object through a mistake: `Delete=false` leaves it in the cluster when its
 * Application is deleted, `Prune=confirm` makes Argo CD wait for a person to confirm before it prunes
 * the object because it vanished from Git.
 */
export const SURVIVES_MISTAKES = ['Delete=false', 'Prune=confirm'] as const;

/** Adds sync options to an object, keeping the ones it has (e.g. `Replace=true`), without duplicates. */
export function addSyncOptions(object: ApiObject, options: readonly string[]): void {
  const existing: string | undefined = object.metadata.toJson().annotations?.[SYNC_OPTIONS_ANNOTATION];
  const merged = [...(existing ? existing.split(',').map((s: string) => s.trim()) : [])];
  for (const o of options) if (!merged.includes(o)) merged.push(o);
  object.metadata.addAnnotation(SYNC_OPTIONS_ANNOTATION, merged.join(','));
}
