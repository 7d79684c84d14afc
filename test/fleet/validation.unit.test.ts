import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetValidationError } from '../../fleet/errors';
import type { Fleet } from '../../fleet/fleet';
import { fleetIssues, validateFleet } from '../../fleet/validate';
import type { BrokenFleet } from '../fleets/variant';

const root = (kind: string) => join(__dirname, '..', 'fleets', kind);
/** Every fixture under test/fleets/<kind>/, recursively, as a path relative to it (`zones/cname-loop.ts`). */
function cases(kind: string): string[] {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(root(kind), join(dir, e.name))] : []);
  return walk(root(kind)).sort();
}

/** The concerns broken fleets are grouped by: each has fixtures of its own. */
const CONCERNS = ['addresses', 'api-names', 'consistency', 'dns-topology', 'fields', 'pod-network', 'zones'];

describe('broken fleets are rejected with a message naming the cluster, the field and the fix', () => {
  it('has broken fleets for every concern, filed under it', () => {
    const files = cases('broken');
    expect(files.length).toBeGreaterThanOrEqual(60);
    for (const concern of CONCERNS) expect(files.filter((f) => f.startsWith(`${concern}/`)).length, concern).toBeGreaterThanOrEqual(3);
    expect(files.every((f) => CONCERNS.includes(f.split('/')[0])), files.join(', ')).toBe(true);
  });

  for (const file of cases('broken')) {
    it(file, async () => {
      const broken = ((await import(join(root('broken'), file))) as { default: BrokenFleet }).default;
      let error: unknown;
      try {
        validateFleet(broken.fleet);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FleetValidationError);
      const message = (error as Error).message;
      expect(message).toContain(broken.expect);
      for (const issue of (error as FleetValidationError).issues) {
        expect(issue.field.length, JSON.stringify(issue)).toBeGreaterThan(0);
        expect(issue.problem.length, JSON.stringify(issue)).toBeGreaterThan(0);
        expect(issue.fix.length, JSON.stringify(issue)).toBeGreaterThan(0);
      }
    });
  }
});

describe('valid fleets pass', () => {
  for (const file of cases('valid')) {
    it(file, async () => {
      const fleet = ((await import(join(root('valid'), file))) as { default: Fleet }).default;
      expect(fleetIssues(fleet)).toEqual([]);
    });
  }
});
