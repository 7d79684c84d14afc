import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetValidationError } from '../../fleet/errors';
import type { Fleet } from '../../fleet/fleet';
import { fleetIssues, validateFleet } from '../../fleet/validate';
import type { BrokenFleet } from '../fleets/variant';

const dir = (kind: string) => join(__dirname, '..', 'fleets', kind);
const cases = (kind: string) => readdirSync(dir(kind)).filter((f) => f.endsWith('.ts')).sort();

describe('broken fleets are rejected with a message naming the cluster, the field and the fix', () => {
  it('has at least 15 broken fleets', () => {
    expect(cases('broken').length).toBeGreaterThanOrEqual(15);
  });

  for (const file of cases('broken')) {
    it(file, async () => {
      const broken = ((await import(join(dir('broken'), file))) as { default: BrokenFleet }).default;
      let error: unknown;
      try {
        validateFleet(broken.fleet);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FleetValidationError);
      const message = (error as Error).message;
      expect(message).toContain(broken.expect);
      for (const issue of (error as FleetValidationError).issues) expect(issue.fix.length).toBeGreaterThan(0);
    });
  }
});

describe('valid fleets pass', () => {
  for (const file of cases('valid')) {
    it(file, async () => {
      const fleet = ((await import(join(dir('valid'), file))) as { default: Fleet }).default;
      expect(fleetIssues(fleet)).toEqual([]);
    });
  }
});
