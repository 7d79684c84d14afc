import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { charts, goModules, images } from '../../constructs/catalog';

const root = resolve(__dirname, '../..');
const validator = join(root, 'tools/renovate/node_modules/renovate/dist/config-validator.js');
const scratch = mkdtempSync(join(tmpdir(), 'fleetnet-renovate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const validate = (cwd: string) => spawnSync(process.execPath, [validator, '--strict'], { cwd, encoding: 'utf8', timeout: 120_000 });

describe('renovate.json', () => {
  it('passes renovate-config-validator --strict', () => {
    const run = validate(root);
    expect(run.stdout + run.stderr).toContain('Config validated successfully');
    expect(run.status).toBe(0);
  });

  it('the validator fails on an outdated config, so the check above can fail', () => {
    writeFileSync(join(scratch, 'renovate.json'), JSON.stringify({ regexManagers: [{ fileMatch: ['x'], matchStrings: ['(?<currentValue>.*)'], datasourceTemplate: 'docker', depNameTemplate: 'x' }] }));
    const run = validate(scratch);
    // The validator's own complaint, so a missing or crashing validator cannot pass this control.
    expect(run.stdout + run.stderr).toContain('Config migration necessary');
    expect(run.status).not.toBe(0);
  });

  it('the catalog regex finds every catalog entry with its datasource and current version', () => {
    const config = JSON.parse(readFileSync(join(root, 'renovate.json'), 'utf8')) as { customManagers: { matchStrings: string[] }[] };
    const regex = new RegExp(config.customManagers[0].matchStrings[0], 'g');
    const text = readFileSync(join(root, 'constructs/catalog.ts'), 'utf8');
    const found = [...text.matchAll(regex)].map((m) => ({
      depName: m.groups!.depName,
      datasource: m.groups!.datasource,
      currentValue: m.groups!.currentValue,
      ...(m.groups!.registryUrl ? { registryUrl: m.groups!.registryUrl } : {}),
    }));
    const expected = [
      ...Object.values(images).map((e) => ({ depName: e.image, datasource: 'docker', currentValue: e.version })),
      ...Object.values(goModules).map((e) => ({ depName: e.module, datasource: 'go', currentValue: e.version })),
      // A Helm chart is looked up in its repository: the comment carries it as registryUrl.
      ...Object.values(charts as Record<string, { repository: string; chart: string; version: string }>).map((e) => ({ depName: e.chart, datasource: 'helm', currentValue: e.version, registryUrl: e.repository })),
    ];
    const key = (d: { depName: string }) => d.depName;
    expect([...found].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
  });
});
