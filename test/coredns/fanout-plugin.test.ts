/**
 * The Go unit tests of our CoreDNS module (images/coredns), above all those of our fleetfanout plugin
 * (images/coredns/plugin/fleetfanout): first positive answer wins, NXDOMAIN only once every healthy
 * gateway said so, refusing and black-holed gateways leave the wait, lost datagrams are resent, a
 * truncated answer is fetched over TCP, options are parsed and checked. They run against loopback
 * UDP/TCP servers the tests start themselves.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authorityCorefile } from '../../constructs/coredns/corefiles';
import { DEFAULT_FAN_OUT_PLUGIN, FLEET_FANOUT_MAX_GATEWAYS, fleetFanout } from '../../constructs/coredns/fleet-fanout';

const MODULE = resolve(__dirname, '../../images/coredns');

describe('images/coredns Go unit tests', () => {
  it('go test ./... passes, and the fleetfanout package has tests that ran', () => {
    // -count=1: run them, never report a cached pass; -mod=readonly: go.mod and go.sum are never rewritten.
    const run = spawnSync('go', ['test', '-count=1', '-v', './...'], {
      cwd: MODULE,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' },
      timeout: 600_000,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    expect(run.error, output.slice(-4000)).toBeUndefined();
    expect(run.status, output.slice(-4000)).toBe(0);
    expect(output).toMatch(/^ok\s+fleetnet\/images\/coredns\/plugin\/fleetfanout\s/m);
    const passed = [...output.matchAll(/^--- PASS: (Test\w+)/gm)].map((m) => m[1]);
    for (const name of ['TestFirstPositiveWinsOverEarlierNxdomain', 'TestNxdomainOnlyWhenEveryGatewaySaidSo', 'TestRefusingGatewayIsNotWaitedFor', 'TestBlackHoledGatewayLeavesTheNxdomainWaitAfterDetection', 'TestLostDatagramIsResentNotAnsweredNxdomain', 'TestTruncatedAnswerIsFetchedOverTCP', 'TestParseErrors']) {
      expect(passed, output.slice(-4000)).toContain(name);
    }
    expect(output).not.toMatch(/^(--- FAIL|FAIL)/m);
  }, 660_000);
});

describe('the authority Corefile picks the fan-out plugin', () => {
  const props = { zone: 'prod.platform.example', gateways: ['198.51.100.66', '198.51.100.98'], apexZoneFile: '/etc/coredns/prod.platform.example.db', ttl: 30 };
  const fanOutLines = (text: string) => text.split('\n').filter((l) => /^\s+(fanout|fleetfanout) /.test(l)).map((l) => l.trim());

  it('fleetfanout by default, with the 2 s deadline and 3 attempts', () => {
    expect(DEFAULT_FAN_OUT_PLUGIN).toBe('fleetfanout');
    const text = authorityCorefile(props).render();
    expect(fanOutLines(text)).toEqual(['fleetfanout prod.platform.example 198.51.100.66 198.51.100.98 {']);
    expect(text).toMatch(/fleetfanout [^\n]+\{\n\s+timeout 2000ms\n\s+attempts 3\n\s+\}/);
  });

  it('fanout when asked, with its own options', () => {
    const text = authorityCorefile({ ...props, fanOut: 'fanout' }).render();
    expect(fanOutLines(text)).toEqual(['fanout prod.platform.example 198.51.100.66 198.51.100.98 {']);
    expect(text).toMatch(/fanout [^\n]+\{\n\s+timeout 2000ms\n\s+attempt-count 1\n\s+\}/);
  });

  it('fleetfanout refuses more gateways than the plugin accepts, before anything is written', () => {
    const to = Array.from({ length: FLEET_FANOUT_MAX_GATEWAYS + 1 }, (_, i) => `127.0.1.${i % 250}`);
    expect(() => fleetFanout({ zone: 'prod.platform.example', to })).toThrow(/at most 100/);
  });
});
