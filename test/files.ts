import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { listFiles } from '../synth/write';

/** Temp folders for one test file (`fleetnet-<prefix>-…`), each removed after the test that made it. */
export function tempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `fleetnet-${prefix}-`));
    made.push(dir);
    return dir;
  };
}

/** Every file of a tree with its content, for exact comparison. */
export const snapshot = (dir: string): Record<string, string> => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
