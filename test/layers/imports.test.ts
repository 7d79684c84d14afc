import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

/**
 * Which top-level folders each layer must not import. The library (constructs/) knows nothing of the
 * fleet; the fleet model knows nothing of the stacks that adapt it; no shipped code imports tests or benches.
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  constructs: ['fleet', 'stacks', 'clusters', 'synth', 'bootstrap', 'test', 'lab', 'bench', 'tools'],
  fleet: ['stacks', 'clusters', 'synth', 'bootstrap', 'test', 'lab', 'bench', 'tools'],
  stacks: ['clusters', 'synth', 'bootstrap', 'test', 'lab', 'bench', 'tools'],
  synth: ['test', 'bench', 'lab', 'tools'],
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier of a file: static imports and re-exports (`import type` too), dynamic imports, require. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/gms,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** The top-level folder of the repository a relative import from `file` lands in (undefined: a package). */
function targetFolder(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = relative(root, resolve(dirname(file), spec));
  return target.split('/')[0];
}

/** Every upward import, as `<file> -> <specifier>`. */
export function upwardImports(): string[] {
  const out: string[] = [];
  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    for (const file of tsFiles(join(root, layer))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const folder = targetFolder(file, spec);
        if (folder && forbidden.includes(folder)) out.push(`${relative(root, file)} -> ${spec}`);
      }
    }
  }
  return out;
}

describe('layers', () => {
  it('imports only point down: constructs <- fleet <- stacks <- synth/clusters; nothing shipped imports test/, bench/ or lab/', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('the import parser sees every form of import', () => {
    const text = [
      "import { A } from '../../fleet/cluster';",
      "import type { B } from '../stacks/x';",
      "export * from '../clusters/index';",
      "import {\n  C,\n  D,\n} from '../synth/render';",
      "import '../test/setup';",
      "const m = await import('../bench/x');",
      "const r = require('../lab/y');",
    ].join('\n');
    expect(importsOf(text)).toEqual(['../../fleet/cluster', '../stacks/x', '../clusters/index', '../synth/render', '../test/setup', '../bench/x', '../lab/y']);
  });
});
