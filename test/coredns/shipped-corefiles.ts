import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../..');

/** A Corefile as committed in charts-out/, with the other keys of its ConfigMap. */
export interface ShippedCorefile {
  /** charts-out/<cluster>/<stack>/configmap.<name>.yaml */
  readonly file: string;
  readonly stack: string;
  readonly corefile: string;
  /** The ConfigMap's other keys (zone files). */
  readonly files: Record<string, string>;
}

/** Every ConfigMap under charts-out/<cluster>/<stack>/configmap.*.yaml whose data has a Corefile. */
export function shippedCorefiles(): ShippedCorefile[] {
  const chartsOut = join(ROOT, 'charts-out');
  const dirs = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const found: ShippedCorefile[] = [];
  for (const cluster of dirs(chartsOut)) {
    for (const stack of dirs(join(chartsOut, cluster))) {
      for (const name of readdirSync(join(chartsOut, cluster, stack)).filter((f) => /^configmap\..+\.yaml$/.test(f)).sort()) {
        const path = join(chartsOut, cluster, stack, name);
        const object = parse(readFileSync(path, 'utf8'), { version: '1.1' }) as { kind?: string; data?: Record<string, string> } | null;
        if (object?.kind !== 'ConfigMap' || typeof object.data?.Corefile !== 'string') continue;
        const { Corefile, ...files } = object.data;
        found.push({ file: relative(ROOT, path), stack, corefile: Corefile, files });
      }
    }
  }
  return found;
}
