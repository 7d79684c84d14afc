/**
 * `npm run bench:synth`: synthesis time and peak memory for generated fleets of 10, 100 and 1000
 * clusters, each in its own process, side by side. Prints a table; cost per cluster should stay flat.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const sizes = (process.argv[2] ?? '10,100,1000').split(',').map(Number);
const tsx = join(__dirname, '../node_modules/tsx/dist/cli.mjs');
interface Row { clusters: number; objects: number; validateMs: number; totalMs: number; userMs: number; sysMs: number; peakRssMiB: number }
const rows: Row[] = [];
for (const size of sizes) {
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', tsx, join(__dirname, 'synth-one.ts'), String(size)], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`size ${size} failed: ${run.stderr}`);
  rows.push(JSON.parse(run.stdout.trim().split('\n').pop()!) as Row);
}
const base = rows[0];
console.log('| clusters | objects | validate ms | total ms | ms/cluster | per-cluster cost vs smallest | CPU user ms | CPU sys ms | peak RSS MiB |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const per = r.totalMs / r.clusters;
  console.log(`| ${r.clusters} | ${r.objects} | ${r.validateMs.toFixed(1)} | ${r.totalMs.toFixed(0)} | ${per.toFixed(2)} | ${(per / (base.totalMs / base.clusters)).toFixed(2)}x | ${r.userMs.toFixed(0)} | ${r.sysMs.toFixed(0)} | ${r.peakRssMiB.toFixed(0)} |`);
}
