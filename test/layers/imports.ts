import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Reading the imports of the repository's TypeScript as text, for the layer and test-project checks. */

export function tsFiles(dir: string): string[] {
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

/** The module specifiers a file loads when it runs: `importsOf` without `import type` / `export type` statements. */
export function runtimeImportsOf(text: string): string[] {
  return importsOf(text.replace(/^\s*(?:import|export)\s+type\s[^;]*?\sfrom\s*['"][^'"]+['"];?/gms, ''));
}
