import { readFileSync } from 'node:fs';
import { importsOf, tsFiles } from './imports';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

/**
 * Which top-level folders each layer must not import. The library (constructs/) knows nothing of the
 * fleet; the fleet model knows nothing of the stacks that adapt it; no shipped code imports tests or benches.
 * The lab layer (real programs: control planes, processes, DNS servers, network namespaces) serves the
 * tests, the benches and the tools, and none of those three imports test/: what they share is in lab/.
 */
export const FORBIDDEN: Record<string, readonly string[]> = {
  constructs: ['fleet', 'stacks', 'clusters', 'synth', 'bootstrap', 'test', 'lab', 'bench', 'tools'],
  fleet: ['stacks', 'clusters', 'synth', 'bootstrap', 'test', 'lab', 'bench', 'tools'],
  stacks: ['clusters', 'synth', 'bootstrap', 'test', 'lab', 'bench', 'tools'],
  synth: ['test', 'bench', 'lab', 'tools'],
  bootstrap: ['test', 'bench', 'lab', 'tools'],
  lab: ['test', 'bench'],
  tools: ['test', 'bench'],
  bench: ['test'],
};

/** The top-level folder of the repository a relative import from `file` lands in (undefined: a package). */
function targetFolder(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = relative(root, resolve(dirname(file), spec));
  return target.split('/')[0];
}

/** The imports of one file (path relative to the root) that go where its layer must not, as `<file> -> <specifier>`. */
export function forbiddenImports(file: string, text: string): string[] {
  const forbidden = FORBIDDEN[file.split('/')[0]] ?? [];
  return importsOf(text)
    .filter((spec) => forbidden.includes(targetFolder(join(root, file), spec) ?? ''))
    .map((spec) => `${file} -> ${spec}`);
}

/** Every upward import, as `<file> -> <specifier>`. */
export function upwardImports(): string[] {
  return Object.keys(FORBIDDEN).flatMap((layer) =>
    tsFiles(join(root, layer)).flatMap((file) => forbiddenImports(relative(root, file), readFileSync(file, 'utf8'))));
}

describe('layers', () => {
  it('imports only point down: constructs <- fleet <- stacks <- synth/clusters; nothing shipped imports test/, bench/ or lab/; bench/, tools/ and lab/ never import test/', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('flags an import of test/ from lab/, bench/ or tools/, and of bench/ from lab/', () => {
    const text = (spec: string) => `import { x } from '${spec}';`;
    expect(forbiddenImports('lab/dns/dns-lab.ts', text('../../test/dns/test-fleet'))).toEqual(['lab/dns/dns-lab.ts -> ../../test/dns/test-fleet']);
    expect(forbiddenImports('lab/dns/dns-lab.ts', text('../../bench/cpu'))).toEqual(['lab/dns/dns-lab.ts -> ../../bench/cpu']);
    expect(forbiddenImports('bench/dns-path.ts', text('../test/harness/rendered'))).toEqual(['bench/dns-path.ts -> ../test/harness/rendered']);
    expect(forbiddenImports('tools/controlplane/apply.ts', text('../../test/harness/control-plane'))).toHaveLength(1);
    // What they may import: lab/ from the tools and benches, constructs/ and synth/ from the lab.
    expect(forbiddenImports('tools/controlplane/apply.ts', text('../../lab/controlplane/control-plane'))).toEqual([]);
    expect(forbiddenImports('bench/dns-path.ts', text('../lab/dns/dns-lab'))).toEqual([]);
    expect(forbiddenImports('lab/dns/dns-lab.ts', text('../../synth/render'))).toEqual([]);
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
