import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fleetnet-consumer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_loglevel: 'error' } });

describe('the packed library', () => {
  it('installs into a consumer project and synthesizes a construct with the consumer\'s own App', () => {
    npm(['pack', '--pack-destination', work, '--silent'], root);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const consumer = join(work, 'consumer');
    execFileSync('mkdir', ['-p', consumer]);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'platform-repo', private: true }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball!)], consumer);

    // Plain CommonJS, as a platform repo without our toolchain would write it; no tsx involved.
    writeFileSync(join(consumer, 'main.js'), `
      const { App, Chart } = require('cdk8s');
      const { PlatformNamespace, exampleFleet, validateFleet } = require('fleetnet');
      validateFleet(exampleFleet);
      const app = new App({ outdir: 'dist' });
      const chart = new Chart(app, 'platform');
      new PlatformNamespace(chart, 'ns', { name: 'team-dns', podSecurity: 'baseline' });
      process.stdout.write(app.synthYaml());
    `);
    const yaml = execFileSync(process.execPath, ['main.js'], { cwd: consumer, encoding: 'utf8', timeout: 60_000 });
    expect(yaml).toContain('kind: Namespace');
    expect(yaml).toContain('name: team-dns');
    expect(yaml).toContain('pod-security.kubernetes.io/enforce: baseline');
  }, 600_000);
});
