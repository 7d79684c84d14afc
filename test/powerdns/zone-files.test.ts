import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { soaSerial } from '../../lab/dns/dig';
import { LocalPowerDns } from '../../lab/dns/powerdns-process';
import { loadPowerDnsManifests, PowerDnsManifests } from '../../lab/dns/powerdns-manifests';

/**
 * Every zone the committed charts-out ships, rendered or hand-written, loaded into a real PowerDNS
 * (Debian's) by the init container's own script, which runs `pdnsutil check-zone` on each.
 */
const chartsOut = resolve(__dirname, '../../charts-out');
const clusters = readdirSync(chartsOut).filter((c) => existsSync(join(chartsOut, c, 'powerdns')));
const secrets = { 'powerdns-api-key': { 'api-key': 'zone-check' } };

async function loadAll(manifests: PowerDnsManifests, ip: string): Promise<{ init: string; serials: Record<string, number> }> {
  const pdns = new LocalPowerDns({ manifests, ip, secrets });
  try {
    const init = pdns.runInit();
    await pdns.start();
    const serials: Record<string, number> = {};
    for (const file of Object.keys(manifests.zones)) {
      const zone = file.replace(/\.zone$/, '');
      serials[zone] = soaSerial(pdns.ip, pdns.dnsPort, zone);
    }
    return { init: init.output, serials };
  } finally {
    await pdns.stop();
  }
}

describe('zone files in charts-out load into PowerDNS', () => {
  it('some cluster runs PowerDNS', () => {
    expect(clusters.length).toBeGreaterThan(0);
  });

  for (const [i, cluster] of clusters.entries()) {
    it(`${cluster}: every zone loads, passes check-zone and answers its SOA`, async () => {
      const manifests = loadPowerDnsManifests(join(chartsOut, cluster, 'powerdns'));
      const { init, serials } = await loadAll(manifests, `127.0.53.${21 + i}`);
      for (const [file, text] of Object.entries(manifests.zones)) {
        const zone = file.replace(/\.zone$/, '');
        expect(init).toContain(`Checked`);
        expect(init).toMatch(new RegExp(`Checked \\d+ records of '${zone.replace(/\./g, '\\.')}', 0 errors`));
        // The serial written in the file is the one served.
        expect(text).toContain(String(serials[zone]));
      }
    }, 60_000);
  }

  it('a broken hand-written zone stops the init container (so the check above can fail)', async () => {
    const manifests = loadPowerDnsManifests(join(chartsOut, clusters[0], 'powerdns'));
    const broken = [
      '$ORIGIN broken.platform.example.',
      '@ 300 IN SOA ns1.broken.platform.example. hostmaster.platform.example. 1 3600 600 1209600 60',
      '@ 300 IN NS ns1.broken.platform.example.',
      'ns1 300 IN A 198.51.100.113',
      'www 300 IN CNAME ns1.broken.platform.example.',
      'www 300 IN A 198.51.100.114',
      '',
    ].join('\n');
    const withBroken = { ...manifests, zones: { ...manifests.zones, 'broken.platform.example.zone': broken } };
    await expect(loadAll(withBroken, '127.0.53.29')).rejects.toThrow(/init container load-zones failed[\s\S]*CNAME/);
  }, 60_000);
});
