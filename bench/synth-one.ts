/**
 * Child process of synth-scale: synthesizes one generated fleet into a temporary folder and prints
 * one JSON line with its timings and peak memory, so each size is measured in a fresh process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fleetIssues } from '../fleet/validate';
import { synthesizeFleet } from '../synth/synthesize';
import { generatedFleet } from './generated-fleet';

const size = Number(process.argv[2]);
const fleet = generatedFleet(size);
const out = join(mkdtempSync(join(tmpdir(), 'fleetnet-bench-')), 'charts-out');
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const issues = fleetIssues(fleet);
const t1 = process.hrtime.bigint();
if (issues.length > 0) throw new Error(`generated fleet is invalid: ${issues[0].problem}`);
const result = synthesizeFleet(fleet, { outdir: out });
const t2 = process.hrtime.bigint();
// User CPU is mostly rendering (cdk8s, YAML); system CPU is mostly creating the files, whose cost
// varies a lot with the load on the disk, so wall time alone hides changes to rendering.
const cpu = process.cpuUsage(cpu0);
rmSync(join(out, '..'), { recursive: true, force: true });
const objects = result.clusters.reduce((n, c) => n + c.objects, 0);
console.log(JSON.stringify({
  clusters: fleet.clusters.length,
  objects,
  validateMs: Number(t1 - t0) / 1e6,
  totalMs: Number(t2 - t0) / 1e6,
  userMs: cpu.user / 1e3,
  sysMs: cpu.system / 1e3,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
}));
