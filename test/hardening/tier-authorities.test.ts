/**
 * Two authorities per tier, the apex that follows the fleet without a restart, and cluster DNS that
 * rides out both authorities being down: synthesized from a fleet, run by our CoreDNS build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { APEX_ZONE_RELOAD_SECONDS } from '../../constructs/coredns/corefiles';
import { renderFleetDoc } from '../../synth/fleet-doc';
import { renderCluster } from '../../synth/render';
import { CoreDnsRun, startCoreDns } from '../../lab/dns/coredns-process';
import { dig, eventually } from '../../lab/dns/dig';
import { configMapData, synthesized } from '../../lab/controlplane/rendered';
import { haFleet, mgmt, singleAuthorityFleet, x, y, ZONE } from './authority-fleet';

const authorityData = (f: typeof haFleet, c: typeof mgmt) => configMapData(synthesized(f, c), 'tier-authority', 'authority');
const clusterDnsCorefile = (f: typeof haFleet, c: typeof mgmt) => configMapData(synthesized(f, c), 'cluster-dns', 'coredns').Corefile;
/**
 * The authority's Corefile without its fan-out: only the apex (from `file`) is under test here, and
 * the gateways it would ask do not run.
 */
const apexOnly = (corefile: string) => corefile.replace(/^\s+(fanout|fleetfanout) [^\n]*\{\n(?:[^\n]*\n)*?\s+\}\n/m, '');
/** The server block of the tier zone alone, out of the cluster DNS Corefile (its main block needs the API). */
const stubBlock = (corefile: string) => {
  const zone = ZONE.replace(/\./g, '\\.');
  const block = new RegExp(`^${zone}:1053(?: ${zone}:53)? \\{\\n[\\s\\S]*?^\\}\\n`, 'm').exec(corefile)?.[0];
  if (!block) throw new Error(`no ${ZONE} block in:\n${corefile}`);
  return block;
};
const zoneFilePath = (run: CoreDnsRun) => /^\s+file (\S+) /m.exec(run.corefile)![1];

const running: CoreDnsRun[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});
async function start(corefile: string, ip: string, files: Record<string, string> = {}): Promise<CoreDnsRun> {
  const run = await startCoreDns({ corefile, files, ip });
  running.push(run);
  return run;
}

describe('a tier with two authorities', () => {
  it('FLEET.md delegates the zone to each, with its glue', () => {
    const doc = renderFleetDoc(haFleet);
    expect(doc).toContain(`${ZONE}. IN NS ns1.${ZONE}.\n${ZONE}. IN NS ns2.${ZONE}.\nns1.${ZONE}. IN A 127.0.17.53\nns2.${ZONE}. IN A 127.0.17.2\n`);
    expect(renderFleetDoc(singleAuthorityFleet)).not.toContain(`ns2.${ZONE}`);
  });

  it('both authorities serve the same apex, and the secondary runs on the workload cluster at its own address', () => {
    expect(renderCluster(haFleet, x).stacks.map((s) => s.name)).toContain('tier-authority');
    expect(renderCluster(singleAuthorityFleet, y).stacks.map((s) => s.name)).not.toContain('tier-authority');
    const a = authorityData(haFleet, mgmt);
    const b = authorityData(haFleet, x);
    expect(a[`${ZONE}.db`]).toBe(b[`${ZONE}.db`]);
    const service = synthesized(haFleet, x).get('tier-authority')!.find((o) => o.kind === 'Service' && o.metadata.name === 'authority')!;
    expect((service.metadata as unknown as { annotations: Record<string, string> }).annotations['metallb.io/loadBalancerIPs']).toBe('127.0.17.2');
  });

  it('every cluster DNS of the tier forwards the zone to both', () => {
    for (const c of [mgmt, x, y]) expect(stubBlock(clusterDnsCorefile(haFleet, c))).toMatch(/forward \. 127\.0\.17\.53 127\.0\.17\.2 \{/);
  });

  it('each authority answers NS and glue for both (our CoreDNS)', async () => {
    for (const [c, ip] of [[mgmt, '127.0.17.53'], [x, '127.0.17.2']] as const) {
      const { Corefile, ...files } = authorityData(haFleet, c);
      await start(apexOnly(Corefile), ip, files);
      expect([...dig(ip, ZONE, 'NS').answers].sort()).toEqual([`ns1.${ZONE}.`, `ns2.${ZONE}.`]);
      expect(dig(ip, `ns2.${ZONE}`).answers).toEqual(['127.0.17.2']);
    }
  }, 60_000);
});

describe('the apex zone follows the fleet without a restart', () => {
  it('a new serial is derived from the content, and the running authority serves the edit; the same serial would not be', async () => {
    const before = authorityData(singleAuthorityFleet, mgmt);
    const after = authorityData(haFleet, mgmt)[`${ZONE}.db`];
    const serial = (text: string) => /SOA \S+ \S+ (\d+) /.exec(text)![1];
    expect(serial(after)).not.toBe(serial(before[`${ZONE}.db`]));
    // Deterministic: the same fleet gives the same serial.
    expect(serial(authorityData(haFleet, x)[`${ZONE}.db`])).toBe(serial(after));

    const { Corefile, ...files } = before;
    const run = await start(apexOnly(Corefile), '127.0.17.53', files);
    expect(dig('127.0.17.53', ZONE, 'NS').answers).toEqual([`ns1.${ZONE}.`]);
    const path = zoneFilePath(run);
    const waitMs = (APEX_ZONE_RELOAD_SECONDS + 5) * 1000;

    // Control: the new content under the old serial is ignored by `file`; the old apex stays.
    writeFileSync(path, after.replace(/(SOA \S+ \S+ )\d+ /, `$1${serial(before[`${ZONE}.db`])} `));
    await new Promise((r) => setTimeout(r, waitMs));
    expect(dig('127.0.17.53', ZONE, 'NS').answers).toEqual([`ns1.${ZONE}.`]);

    // The synthesized file, with its derived serial, is served within the reload interval.
    writeFileSync(path, after);
    const seen = await eventually(() => [...dig('127.0.17.53', ZONE, 'NS').answers].sort(), (a) => a.length === 2, waitMs, 500);
    expect(seen.value).toEqual([`ns1.${ZONE}.`, `ns2.${ZONE}.`]);
    expect(readFileSync(run.logFile, 'utf8')).toMatch(new RegExp(`reloaded zone "${ZONE}\\." .* with ${serial(after)} SOA serial`));
  }, 90_000);
});

describe('cluster DNS while the tier\'s authorities are down', () => {
  /** An authority stand-in: the synthesized apex plus one short-lived name, so a cached answer expires fast. */
  const withApp = (files: Record<string, string>) => ({ ...files, [`${ZONE}.db`]: `${files[`${ZONE}.db`]}app 1 IN A 127.0.99.7\n` });

  it('answers from the other authority when one is down, and from stale cache when both are; without serve_stale it fails', async () => {
    for (const [c, ip] of [[mgmt, '127.0.17.53'], [x, '127.0.17.2']] as const) {
      const { Corefile, ...files } = authorityData(haFleet, c);
      await start(apexOnly(Corefile), ip, withApp(files));
    }
    const stub = stubBlock(clusterDnsCorefile(haFleet, y));
    expect(stub).toMatch(/serve_stale 3600s verify/);
    expect(stub).toMatch(/^\s+prometheus :9153$/m);
    const noStale = stub.replace(/^\s+serve_stale [^\n]*\n/m, '');
    const withStale = await start(stub, '127.0.17.100');
    const without = await start(noStale, '127.0.17.101');
    for (const s of [withStale, without]) {
      const first = await eventually(() => dig(s.ip, `app.${ZONE}`), (r) => r.status === 'NOERROR', 10_000, 200);
      expect(first.value.answers).toEqual(['127.0.99.7']);
    }
    const [authA, authB] = running;
    await authA.stop();
    await new Promise((r) => setTimeout(r, 1500)); // the 1 s entry expires
    expect(dig(withStale.ip, `app.${ZONE}`).answers).toEqual(['127.0.99.7']);
    await authB.stop();
    await new Promise((r) => setTimeout(r, 1500));
    const stale = dig(withStale.ip, `app.${ZONE}`, 'A', { timeoutSeconds: 8 });
    expect(stale.status).toBe('NOERROR');
    expect(stale.answers).toEqual(['127.0.99.7']);
    const failed = dig(without.ip, `app.${ZONE}`, 'A', { timeoutSeconds: 8 });
    expect(failed.answers).toEqual([]);
    expect(failed.status).toMatch(/SERVFAIL|TIMEOUT/);
  }, 90_000);
});
