import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { RenderedCluster } from './render';

export const FLEET_DOC = 'FLEET.md';

/** What changed in one cluster's folder. */
export interface ClusterChange {
  readonly cluster: string;
  readonly stacks: number;
  readonly objects: number;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export interface WriteResult {
  readonly clusters: readonly ClusterChange[];
  /** Cluster folders removed because the cluster left the fleet (full synth only). */
  readonly removedClusters: readonly string[];
}

/**
 * Writes rendered clusters into `outdir` so that a failure at any point leaves `outdir` as it was:
 * everything is written to a sibling temporary folder first, then swapped in with renames.
 *
 * With `only` unset the whole outdir is replaced (stale files and clusters disappear). With `only`
 * set, just those clusters' folders and FLEET.md are replaced.
 */
export function writeOutput(outdir: string, rendered: readonly RenderedCluster[], fleetDoc: string, only?: readonly string[]): WriteResult {
  const tmp = join(dirname(outdir), `.${basename(outdir)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp, { recursive: true });
    for (const c of rendered) {
      for (const stack of c.stacks) {
        const dir = join(tmp, c.cluster, stack.name);
        mkdirSync(dir, { recursive: true });
        for (const [file, text] of stack.files) writeFileSync(join(dir, file), text);
      }
    }
    writeFileSync(join(tmp, FLEET_DOC), fleetDoc);
    const changes = rendered.map((c) => diffCluster(outdir, c));
    const before = existsSync(outdir) ? listDirs(outdir) : [];
    const removedClusters = only ? [] : before.filter((d) => !rendered.some((c) => c.cluster === d));
    if (only) swapParts(outdir, tmp, [...only, FLEET_DOC]);
    else swapWhole(outdir, tmp);
    return { clusters: changes, removedClusters };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function swapWhole(outdir: string, tmp: string): void {
  const old = `${tmp}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(outdir)) renameSync(outdir, old);
  try {
    renameSync(tmp, outdir);
  } catch (error) {
    if (existsSync(old)) renameSync(old, outdir);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

function swapParts(outdir: string, tmp: string, parts: readonly string[]): void {
  mkdirSync(outdir, { recursive: true });
  for (const part of parts) {
    const target = join(outdir, part);
    const old = join(tmp, `${part}.old`);
    if (existsSync(target)) renameSync(target, old);
    try {
      renameSync(join(tmp, part), target);
    } catch (error) {
      if (existsSync(old)) renameSync(old, target);
      throw error;
    }
  }
}

function listDirs(dir: string): string[] {
  return readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()).sort();
}

/** Every file below `dir`, as paths relative to it. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function diffCluster(outdir: string, c: RenderedCluster): ClusterChange {
  const dir = join(outdir, c.cluster);
  const old = new Set(listFiles(dir));
  let added = 0;
  let changed = 0;
  let objects = 0;
  for (const stack of c.stacks) {
    for (const [file, text] of stack.files) {
      objects++;
      const rel = join(stack.name, file);
      if (!old.has(rel)) added++;
      else if (readFileSync(join(dir, rel), 'utf8') !== text) changed++;
      old.delete(rel);
    }
  }
  return { cluster: c.cluster, stacks: c.stacks.length, objects, added, changed, removed: old.size };
}
