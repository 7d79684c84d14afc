/**
 * Every Corefile in the committed charts-out/ (cluster DNS, cluster gateways, tier authorities of every
 * cluster of the example fleet) starts with our CoreDNS build and its /ready answers 200. Those that
 * use kubernetes / k8s_gateway talk to one real kube-apiserver (lab/controlplane) with its admin token.
 *
 * Nothing leaves 127.0.0.0/8 and no DNS query is sent by this test. One thing needs care: the `loop`
 * plugin probes its own server at startup, and that probe goes through `forward` to the upstreams, which
 * in the example fleet are documentation addresses (192.0.2.x, 198.51.100.x, 203.0.113.x). So before a
 * Corefile starts, every `forward`/`fanout`/`fleetfanout` upstream is pointed at a silent UDP sink on
 * 127.0.12.1 (its own port per upstream), and the test checks that no address outside loopback is left.
 * (fleetfanout also probes every gateway from startup on, so this matters for it from the first second.)
 */
import { createSocket, Socket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { writeKubeconfig } from '../../lab/controlplane/kube-client';
import { CoreDnsRun, startCoreDns } from '../../lab/dns/coredns-process';
import { freePort } from '../../lab/process';
import { ShippedCorefile, shippedCorefiles } from './shipped-corefiles';

const ROOT = resolve(__dirname, '../..');
const SINK_IP = '127.0.12.1';
/** Each Corefile gets 127.0.11.<n>, n = 1, 2, … */
const ipOf = (n: number) => `127.0.11.${n}`;
const work = mkdtempSync(join(tmpdir(), 'fleetnet-coredns-corefiles-'));

const UPSTREAM_LINE = /^(\s+)(forward|fanout|fleetfanout)[ \t]+(\S+)((?:[ \t]+[^\s{]+)+)([ \t]*\{)?[ \t]*$/;

/** `forward FROM TO... [{`, `fanout FROM TO... [{` and `fleetfanout ZONE TO... [{` lines: their TO tokens. */
function upstreamsOf(corefile: string): string[] {
  return corefile.split('\n').flatMap((line) => UPSTREAM_LINE.exec(line)?.[4].trim().split(/[ \t]+/) ?? []);
}

/** The Corefile with every forward/fanout upstream replaced by `sinkFor(upstream)`; nothing else changes. */
function withUpstreams(corefile: string, sinkFor: (upstream: string) => string): string {
  return corefile
    .split('\n')
    .map((line) => {
      const m = UPSTREAM_LINE.exec(line);
      if (!m) return line;
      const to = m[4].trim().split(/[ \t]+/).map(sinkFor);
      return `${m[1]}${m[2]} ${m[3]} ${to.join(' ')}${m[5] ? ' {' : ''}`;
    })
    .join('\n');
}

/** Waits (bounded) until `file` contains `text`. */
async function logShows(file: string, text: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 600 && Date.now() < deadline; i++) {
    if (readFileSync(file, 'utf8').includes(text)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const corefiles = shippedCorefiles();
const usesApi = (c: ShippedCorefile) => /^\s+(kubernetes|k8s_gateway)\s/m.test(c.corefile);

/** One silent UDP socket per distinct upstream address: it counts what arrives and never answers. */
const sinks = new Map<string, { socket: Socket; port: number; packets: number }>();
const runs: CoreDnsRun[] = [];
const startupMs: Record<string, number> = {};
let cp: ControlPlane | undefined;
let kubeconfig: string | undefined;

async function sinkFor(upstream: string): Promise<string> {
  let sink = sinks.get(upstream);
  if (!sink) {
    const socket = createSocket('udp4');
    const port = await new Promise<number>((ok, fail) => {
      socket.once('error', fail);
      socket.bind(0, SINK_IP, () => ok(socket.address().port));
    });
    const created = { socket, port, packets: 0 };
    socket.on('message', () => created.packets++);
    sinks.set(upstream, created);
    sink = created;
  }
  return `${SINK_IP}:${sink.port}`;
}

/** The shipped Corefile with its upstreams on the sinks. */
async function sunk(corefile: string): Promise<string> {
  const mapping = new Map<string, string>();
  for (const u of upstreamsOf(corefile)) mapping.set(u, await sinkFor(u));
  return withUpstreams(corefile, (u) => mapping.get(u)!);
}

beforeAll(async () => {
  if (corefiles.some(usesApi)) {
    cp = await startControlPlane({ name: 'coredns-corefiles' });
    kubeconfig = join(work, 'admin.kubeconfig');
    writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  }
}, 300_000);

afterAll(async () => {
  for (const run of runs) await run.stop();
  if (cp) await cp.stop();
  for (const s of sinks.values()) s.socket.close();
  rmSync(work, { recursive: true, force: true });
  const received = Object.fromEntries([...sinks].map(([upstream, s]) => [upstream, s.packets]));
  console.log(`CoreDNS startup to /ready 200 (ms): ${JSON.stringify(startupMs)}`);
  console.log(`packets CoreDNS sent to the upstream sinks on ${SINK_IP} (loop probes, forward health checks): ${JSON.stringify(received)}`);
}, 120_000);

describe('every Corefile in charts-out/ runs with our CoreDNS', () => {
  it('finds the cluster DNS, gateway and authority Corefiles of every cluster', () => {
    const stacks = new Set(corefiles.map((c) => c.file.split('/')[2]));
    expect(stacks).toEqual(new Set(['cluster-dns', 'cluster-gateway', 'tier-authority']));
    const clusters = readdirSync(join(ROOT, 'charts-out'), { withFileTypes: true }).filter((d) => d.isDirectory()).length;
    expect(corefiles.filter((c) => c.file.includes('/cluster-dns/'))).toHaveLength(clusters);
    expect(corefiles.length).toBeLessThan(250);
  });

  it.each(corefiles.map((c, i) => [c.file, c, i + 1] as const))(
    '%s starts and /ready answers 200',
    async (file, c, n) => {
      expect(c.corefile, 'has a ready endpoint to check').toMatch(/^\s+ready :8181$/m);
      const ip = ipOf(n);
      const corefile = await sunk(c.corefile);
      const started = Date.now();
      const run = await startCoreDns({ corefile, files: c.files, ip, port: await freePort(ip), kubeconfig: usesApi(c) ? kubeconfig : undefined });
      runs.push(run);
      startupMs[file] = Date.now() - started;

      // What actually runs: every address it listens on or sends to is on loopback.
      expect(upstreamsOf(run.corefile).every((u) => u.startsWith(`${SINK_IP}:`)), run.corefile).toBe(true);
      const addresses = run.corefile.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? [];
      expect(addresses.filter((a) => !a.startsWith('127.')), run.corefile).toEqual([]);

      const ready = await fetch(`http://${ip}:8181/ready`, { signal: AbortSignal.timeout(5_000) });
      expect(ready.status).toBe(200);
      if (/^\s+k8s_gateway\s/m.test(c.corefile)) {
        // k8s_gateway reports no readiness; its log shows its informers synced against the API server.
        expect(await logShows(run.logFile, 'Synced all required resources', 30_000), readFileSync(run.logFile, 'utf8')).toBe(true);
      }
    },
    90_000,
  );
});

describe('startCoreDns fails readably', () => {
  it('when CoreDNS exits at startup: exit code, the Corefile and its log naming the cause', async () => {
    const ip = ipOf(240);
    const error = await startCoreDns({ corefile: '.:1053 {\n    ready :8181\n    nosuchplugin\n}\n', ip, port: await freePort(ip) }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(new RegExp(`CoreDNS on ${ip.replace(/\./g, '\\.')}:\\d+: it exited with code 1 before it was ready`));
    expect((error as Error).message).toContain("Unknown directive 'nosuchplugin'");
  }, 60_000);

  it('when /ready never answers 200 (no API server behind kubernetes): after its bound, saying so and showing the API error', async () => {
    const ip = ipOf(241);
    // An API server address on loopback where nothing listens.
    const deadPort = await freePort('127.0.0.1');
    const deadKubeconfig = join(work, 'dead.kubeconfig');
    writeKubeconfig(deadKubeconfig, { server: `https://127.0.0.1:${deadPort}`, caPem: cp!.caPem, token: 'none' });
    const started = Date.now();
    const corefile = '.:1053 {\n    ready :8181\n    kubernetes cluster.local {\n    }\n}\n';
    const error = await startCoreDns({ corefile, ip, port: await freePort(ip), kubeconfig: deadKubeconfig, readyTimeoutMs: 4_000 }).catch((e: Error) => e);
    const waited = Date.now() - started;
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`CoreDNS on ${ip.replace(/\./g, '\\.')}:\\d+: no 200 from http://${ip.replace(/\./g, '\\.')}:8181/ready within 4 s; it was still running`));
    expect(message).toContain(`kubeconfig ${deadKubeconfig}`);
    // The log tail shows the cause (the kubernetes plugin still waiting for the API), folded, and not the
    // ready plugin's once-a-second polling.
    expect(message).toMatch(/plugin\/kubernetes: waiting for Kubernetes API[^\n]*\n {2}\(the line above \d+ more times\)/);
    expect(message).not.toContain('plugin/ready');
    expect(waited).toBeGreaterThanOrEqual(4_000);
    expect(waited).toBeLessThan(15_000);
  }, 90_000);
});
