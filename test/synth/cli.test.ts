import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../../synth/write';
import { snapshot, tempDirs } from '../files';

/** `npm run synth` as a user runs it: synth/main.ts in a node process of its own (tsx). */

const root = resolve(__dirname, '../..');
const committed = join(root, 'charts-out');
const tempDir = tempDirs('synth-cli');

describe('synth CLI', () => {
  it('the CLI prints every problem, exits 1 and writes nothing for a bad fleet', () => {
    const out = join(tempDir(), 'charts-out');
    cpSync(committed, out, { recursive: true });
    const before = snapshot(out);
    const run = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'synth/main.ts'), '--outdir', out, '--fleet', join(root, 'test/fleets/broken/addresses/gateway-ip-outside-pools.ts')], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cluster "prod-x", dns.gatewayIP: 198.51.100.200 is outside every MetalLB pool');
    expect(snapshot(out)).toEqual(before);
  });

  it('the CLI synthesizes one cluster with --cluster and prints a summary', () => {
    const out = join(tempDir(), 'charts-out');
    const run = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'synth/main.ts'), '--outdir', out, '--cluster', 'test-x'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^test-x\s+\d+ stacks\s+\d+ objects\s+\+\d+ ~0 -0 files$/m);
    expect(listFiles(out).every((f) => f === 'FLEET.md' || f.startsWith('test-x/'))).toBe(true);
  });
});
