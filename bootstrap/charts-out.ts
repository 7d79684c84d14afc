import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import type { KubeObject } from '../synth/kube-object';
import { renderCluster } from '../synth/render';


/** One file of a cluster's folder. */
export interface ManifestFile {
  /** `<stack>/<file>` inside charts-out/<cluster>/. */
  readonly path: string;
  readonly object: KubeObject;
}

/** The objects of charts-out/<cluster>/, by stack folder, each folder's files in name order. */
export function readClusterFolder(chartsOut: string, cluster: string): Map<string, ManifestFile[]> {
  const dir = join(chartsOut, cluster);
  if (!existsSync(dir)) throw new Error(`${dir} does not exist. Fix: run \`npm run synth\` and commit charts-out/`);
  const folders = new Map<string, ManifestFile[]>();
  for (const stack of readdirSync(dir).sort()) {
    if (!statSync(join(dir, stack)).isDirectory()) continue;
    const files = readdirSync(join(dir, stack)).filter((f) => f.endsWith('.yaml')).sort();
    // YAML 1.1, as Kubernetes tools read it (and as synth writes it).
    folders.set(stack, files.map((f) => ({ path: `${stack}/${f}`, object: parse(readFileSync(join(dir, stack, f), 'utf8'), { version: '1.1' }) as KubeObject })));
  }
  return folders;
}

/**
 * Throws unless charts-out/<cluster>/ is exactly what synthesis makes of the fleet now: the bootstrap
 * applies (or points Argo CD at) the committed YAML, so a stale folder would roll out old objects.
 */
export function checkFresh(fleet: Fleet, cluster: Cluster, chartsOut: string): void {
  const expected = new Map<string, string>();
  for (const stack of renderCluster(fleet, cluster).stacks) {
    for (const [file, text] of stack.files) expected.set(`${stack.name}/${file}`, text);
  }
  const dir = join(chartsOut, cluster.name);
  const onDisk = new Set<string>();
  if (existsSync(dir)) {
    for (const stack of readdirSync(dir)) {
      if (!statSync(join(dir, stack)).isDirectory()) continue;
      for (const f of readdirSync(join(dir, stack))) onDisk.add(`${stack}/${f}`);
    }
  }
  const problems: string[] = [];
  for (const [path, text] of expected) {
    if (!onDisk.has(path)) problems.push(`${path} is missing`);
    else if (readFileSync(join(dir, path), 'utf8') !== text) problems.push(`${path} differs`);
  }
  for (const path of onDisk) if (!expected.has(path)) problems.push(`${path} is stale`);
  if (problems.length === 0) return;
  const shown = problems.sort().slice(0, 5).join('; ');
  throw new Error(
    `charts-out/${cluster.name}/ is not what \`npm run synth\` makes of clusters/ (${problems.length} file(s): ${shown}${problems.length > 5 ? '; …' : ''}). ` +
      'Fix: run `npm run synth`, review and commit charts-out/, then run the bootstrap again',
  );
}
