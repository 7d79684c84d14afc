import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config, { UNIT_TESTS } from '../../vitest.config';
import { importsOf, runtimeImportsOf, tsFiles } from './imports';

/**
 * The unit project (`npm run test:unit`) runs with nothing but node and the npm packages: no root, no Go
 * build, no Debian package, no network namespace. So no file a unit test loads from test/ or
 * lab/ may start a program (child_process, or the lab's runners in lab/process.ts and lab/system.ts) or
 * name a binary (lab/paths.ts, the build cache), nor import a module of the shipped layers that does
 * (bootstrap/argocd-manifest.ts runs `go mod download`). Deeper in the shipped layers nothing is
 * followed: importing the bootstrap program starts nothing until a function is called.
 */
const root = resolve(__dirname, '../..');
const RUNNERS = ['lab/process.ts', 'lab/system.ts', 'lab/paths.ts'];
/** A path into the build cache (`.cache` then a slash), spelled so that this file does not name it. */
const BUILD_CACHE = new RegExp(['\\.cache', '/'].join(''));
const SPAWNS = /^(node:)?(child_process|worker_threads|cluster)$/;

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((c) => existsSync(c) && statSync(c).isFile());
}

/** Why a test file is not pure: each file of test/ or lab/ it loads (itself too) that starts a program or names a binary. */
export function impureReasons(file: string): string[] {
  const reasons: string[] = [];
  const seen = new Set<string>();
  const todo: [string, string][] = [[resolve(root, file), file]];
  while (todo.length > 0) {
    const [current, importer] = todo.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const path = relative(root, current);
    if (!/^(test|lab)\//.test(path)) {
      if (runtimeImportsOf(readFileSync(current, 'utf8')).some((spec) => SPAWNS.test(spec))) reasons.push(`${importer} imports ${path}, which starts programs`);
      continue;
    }
    const text = readFileSync(current, 'utf8');
    if (RUNNERS.includes(path)) reasons.push(`${path} (runs programs or names their binaries)`);
    for (const spec of runtimeImportsOf(text)) {
      if (SPAWNS.test(spec)) reasons.push(`${path} imports ${spec}`);
      const target = spec.startsWith('.') ? resolveImport(current, spec) : undefined;
      if (target) todo.push([target, path]);
    }
    if (BUILD_CACHE.test(text)) reasons.push(`${path} names the build cache`);
  }
  return [...new Set(reasons)].sort();
}

const unitFiles = tsFiles(join(root, 'test')).map((f) => relative(root, f)).filter((f) => f.endsWith('.unit.test.ts')).sort();

describe('the unit project', () => {
  it('is the vitest project "unit", of every *.unit.test.ts', () => {
    const projects = (config.test?.projects ?? []) as { test: { name: string; include?: string[]; exclude?: string[] } }[];
    expect(projects.find((p) => p.test.name === 'unit')?.test.include).toEqual([UNIT_TESTS]);
    expect(projects.find((p) => p.test.name === 'components')?.test.exclude).toContain(UNIT_TESTS);
    expect(unitFiles.length).toBeGreaterThan(10);
  });

  it('loads nothing that starts a program or needs a built binary', () => {
    expect(Object.fromEntries(unitFiles.map((f) => [f, impureReasons(f)]).filter(([, r]) => r.length > 0))).toEqual({});
  });

  it('the check sees a test of real programs for what it is', () => {
    expect(impureReasons('test/dns/e2e.test.ts')).toEqual(expect.arrayContaining(['lab/process.ts (runs programs or names their binaries)']));
    expect(impureReasons('test/synth/cli.test.ts')).toEqual(['test/synth/cli.test.ts imports node:child_process']);
    expect(impureReasons('test/bootstrap/argocd-install.test.ts')).toEqual(['test/bootstrap/argocd-install.test.ts imports bootstrap/argocd-manifest.ts, which starts programs']);
    expect(runtimeImportsOf("import type { A } from './a';\nimport { B } from './b';")).toEqual(['./b']);
    expect(importsOf("import type { A } from './a';")).toEqual(['./a']);
  });
});
