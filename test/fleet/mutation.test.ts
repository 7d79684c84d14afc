/**
 * Validation agrees with the real programs. Every valid fixture, and every mutant of one that
 * validation accepts, is synthesized and fed to the real kube-apiserver (server-side dry-run apply of
 * every object, with the cluster's own Service range), our CoreDNS (every Corefile until /ready) and
 * pdnsutil (every zone loaded and checked); any refusal fails the test. Every mutant validation
 * rejects must name, in each issue, the cluster, the field and the fix.
 *
 * Argo CD's objects are applied too, under stand-in CRDs that keep every field (so names, labels and
 * annotations are judged by the API server; their schema by test/manifests/argocd.unit.test.ts).
 *
 * The mutants come from a seeded PRNG: FLEETNET_MUTATION_SEED (printed) and FLEETNET_MUTATION_COUNT
 * (default 240) give the same mutants again. See test/fleet/oracle.ts for what runs and where.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleet as exampleFleet } from '../../clusters/index';
import { formatIssue } from '../../fleet/errors';
import type { Fleet } from '../../fleet/fleet';
import { fleetIssues } from '../../fleet/validate';
import { draftOf, fleetOf, variant } from '../fleets/variant';
import { MUTANT_ZONE_DIR, mutants } from './mutate';
import { Finding, Oracle } from './oracle';

const SEED = Number(process.env.FLEETNET_MUTATION_SEED ?? 20261213);
const COUNT = Number(process.env.FLEETNET_MUTATION_COUNT ?? 240);
const FLEET_FIELDS = /^(domain|tiers|git|clusters)\b/;

const validDir = join(__dirname, '..', 'fleets', 'valid');
const oracle = new Oracle();
const bases: { name: string; fleet: Fleet }[] = [];
const show = (f: Finding) => `[${f.program}] cluster "${f.cluster}", ${f.what}: ${f.message}`;

beforeAll(async () => {
  bases.push({ name: 'example', fleet: exampleFleet });
  for (const file of readdirSync(validDir).filter((f) => f.endsWith('.ts')).sort()) {
    bases.push({ name: `valid/${file}`, fleet: ((await import(join(validDir, file))) as { default: Fleet }).default });
  }
});

afterAll(async () => {
  console.log(`oracle: ${JSON.stringify(oracle.stats)}`);
  await oracle.stop();
  rmSync(MUTANT_ZONE_DIR, { recursive: true, force: true });
}, 120_000);

describe('the real programs accept every valid fleet', () => {
  it('the example fleet and every valid fixture: validated, synthesized, and accepted by kube-apiserver, CoreDNS and pdnsutil', async () => {
    expect(bases.length).toBeGreaterThanOrEqual(8);
    const problems: string[] = [];
    for (const b of bases) {
      const issues = fleetIssues(b.fleet);
      problems.push(...issues.map((i) => `${b.name}: validation: ${formatIssue(i)}`));
      if (issues.length === 0) problems.push(...(await oracle.check(b.fleet)).map((f) => `${b.name}: ${show(f)}`));
    }
    expect(problems).toEqual([]);
    expect(oracle.stats.corefilesStarted).toBeGreaterThan(0);
    expect(oracle.stats.zonesLoaded).toBeGreaterThan(0);
    expect(oracle.stats.objectsApplied).toBeGreaterThan(0);
  }, 900_000);

  it('each program can refuse: what validation stops, each one stops too', async () => {
    // Fed to the oracle without validation: one mistake per program.
    const caught = async (change: Parameters<typeof variant>[0]) => (await oracle.check(variant(change))).map((f) => f.program);
    expect(await caught((f) => { f.clusters[4].dns.serviceIP = '10.96.0.1'; })).toContain('kube-apiserver');
    expect(await caught((f) => { f.clusters[4].dns.upstreams = Array.from({ length: 16 }, (_, i) => `192.0.2.${100 + i}`); })).toContain('coredns');
    expect(await caught((f) => { f.clusters[4].dns.upstreams = [f.clusters[4].dns.serviceIP]; })).toContain('coredns');
    expect(await caught((f) => {
      f.clusters[2].dns.zones!.push({ name: 'legacy.platform.example', file: join(__dirname, '..', 'fleets', 'broken', 'zones', 'files', 'unknown-type.zone') });
    })).toContain('pdnsutil');
  }, 300_000);
});

describe(`mutants of the valid fleets (seed ${SEED}, ${COUNT} mutants)`, () => {
  it('validation rejects them naming cluster, field and fix, or the real programs accept what it accepts', async () => {
    console.log(`mutation test: seed ${SEED}, count ${COUNT} (FLEETNET_MUTATION_SEED / FLEETNET_MUTATION_COUNT to change)`);
    const list = mutants(SEED, COUNT, bases.map((b) => ({ name: b.name, draft: draftOf(b.fleet) })));
    expect(list).toHaveLength(COUNT);
    const started = Date.now();
    const failures: string[] = [];
    let accepted = 0;
    const byProgram: Record<string, number> = {};
    for (const m of list) {
      const label = `mutant #${m.id} of ${m.base} (${m.mutations.join('; ')})`;
      let fleet: Fleet;
      let issues;
      try {
        fleet = fleetOf(m.draft);
        issues = fleetIssues(fleet);
      } catch (e) {
        failures.push(`${label}: validation threw instead of reporting: ${(e as Error).stack?.split('\n').slice(0, 3).join(' ')}`);
        continue;
      }
      if (issues.length > 0) {
        const names = new Set(fleet.clusters.map((c, i) => (typeof c.name === 'string' && c.name !== '' ? c.name : `#${i}`)));
        for (const i of issues) {
          const named = i.cluster !== undefined ? names.has(i.cluster) : FLEET_FIELDS.test(i.field);
          if (!named || !i.field || !i.problem || !i.fix) failures.push(`${label}: an issue does not name its cluster, field and fix: ${JSON.stringify(i)}`);
        }
        continue;
      }
      accepted++;
      for (const f of await oracle.check(fleet)) {
        byProgram[f.program] = (byProgram[f.program] ?? 0) + 1;
        failures.push(`${label}: accepted by validation, refused by ${show(f)}`);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`mutation test: ${list.length} mutants, ${accepted} accepted by validation and fed to the real programs, ${list.length - accepted} rejected; ${failures.length} failures ${JSON.stringify(byProgram)}; ${seconds} s`);
    expect(accepted, 'some mutants must reach the real programs').toBeGreaterThan(COUNT / 10);
    expect(failures).toEqual([]);
  }, 1_500_000);
});
