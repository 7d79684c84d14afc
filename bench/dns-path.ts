/**
 * `npm run bench:dns`: the DNS data path measured with dnsperf against the real processes of the e2e
 * test (our CoreDNS build with the synthesized Corefiles, gateways watching real kube-apiservers):
 *
 *   (a) one gateway asked directly
 *   (b) the tier authority fanning out to N gateways, names that miss its cache
 *   (c) the authority with its cache warm (the same 100 names again and again)
 *   (d) (b) with one gateway dead: a UDP socket bound on its IP:53 that never answers, no ICMP
 *   (e) NXDOMAIN through the authority, names that miss its cache, without and with the dead gateway
 *   (f) diagnostic: one upstream behind fanout vs behind CoreDNS's forward (not a synthesized Corefile)
 *   (g) NXDOMAIN with one gateway refusing (nothing bound: ICMP port unreachable), largest fanout only,
 *       with the synthesized attempt-count and with the old default 2 side by side
 *
 * Every scenario runs twice: as fast as answers come back (dnsperf's default 100 queries outstanding:
 * QPS, CPU per query) and at a fixed light rate with per-query output (-v: p50/p99 without queueing).
 * Options: --fanout 2,4,8  --control-planes K (default: one per gateway)  --seconds 4  --latency-qps 300
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { FANOUT_ATTEMPTS } from '../constructs/coredns/corefiles';
import { CoreDnsRun, startCoreDns } from '../test/dns/coredns-process';
import { configMapData, synthesized } from '../test/harness/rendered';
import { coreDnsPid, cpuMeter } from './cpu';
import { blackHole, DnsLab, settle } from './dns-lab';
import { dnsperf, DnsperfResult } from './dnsperf';
import { loopbackBenchFleet } from './loopback-fleet';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const FANOUTS = option('fanout', '2,4,8').split(',').map(Number);
const MAX_N = Math.max(...FANOUTS);
const CONTROL_PLANES = Number(option('control-planes', String(MAX_N)));
const SECONDS = Number(option('seconds', '4'));
const LATENCY_QPS = Number(option('latency-qps', '300'));
/** Unique names generated per throughput run: more than the fastest path answers in SECONDS, so none repeats. */
const UNIQUE_PER_SECOND = 60_000;
/** Positive answers come from a wildcard Service per gateway: `*.g<i>.<zone>` → 127.0.83.<i+1>. */
const answerIp = (i: number) => `127.0.83.${i + 1}`;
/** Every name of this run carries it, so no run finds another's names in a cache. */
const RUN = randomBytes(3).toString('hex');

interface Measured {
  readonly scenario: string;
  readonly n: number | undefined;
  readonly thr: DnsperfResult;
  readonly lat: DnsperfResult;
  /** CPU microseconds per completed query during the throughput run. */
  readonly cpu: { authority: number; gateways: number; machine: number };
}

const rows: Measured[] = [];

interface Targets { server: string; authority?: CoreDnsRun; gateways: CoreDnsRun[] }

/**
 * One scenario: a throughput run over `names(count)` (unique unless `repeat`) and a latency run at
 * LATENCY_QPS (or `latencyQps`) over fresh names.
 */
async function scenario(label: string, n: number | undefined, t: Targets, names: (tag: string, count: number) => string[], o: { repeat?: boolean; latencyQps?: number } = {}): Promise<Measured> {
  const pids = { authority: t.authority ? [coreDnsPid(t.authority.logFile)] : [], gateways: t.gateways.map((g) => coreDnsPid(g.logFile)) };
  // A repeated list is asked once first, so the runs find the cache warm.
  if (o.repeat) await dnsperf({ server: t.server, queries: names('w', 0), seconds: 5, maxRuns: 1 });
  const meter = cpuMeter(pids);
  const thr = await dnsperf({ server: t.server, queries: names('t', o.repeat ? 0 : SECONDS * UNIQUE_PER_SECOND), seconds: SECONDS, maxRuns: o.repeat ? undefined : 1 });
  const used = meter.stop();
  if (!o.repeat && thr.sent >= SECONDS * UNIQUE_PER_SECOND) console.warn(`${label}: the unique-name list ran out; some names may have been cached`);
  const latencyQps = o.latencyQps ?? LATENCY_QPS;
  const lat = await dnsperf({ server: t.server, queries: names('l', o.repeat ? 0 : SECONDS * latencyQps + 100), seconds: SECONDS, maxQps: latencyQps, perQuery: true, maxRuns: o.repeat ? undefined : 1 });
  const per = (s: number) => (thr.completed > 0 ? (s * 1e6) / thr.completed : NaN);
  const row: Measured = { scenario: label, n, thr, lat, cpu: { authority: per(used.authority), gateways: per(used.gateways), machine: per(used.machine) } };
  rows.push(row);
  const codes = Object.entries(thr.rcodes).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`  ${label.padEnd(34)} ${thr.qps.toFixed(0).padStart(6)} qps  p50 ${lat.p50Ms!.toFixed(2)} ms  p99 ${lat.p99Ms!.toFixed(2)} ms  lost ${thr.lost}/${thr.sent}  [${codes}]`);
  return row;
}

/** `<prefix><k>.g<gateway>.<zone>` for k < count, the gateways taking turns. */
const spread = (zone: string, prefix: string, gateways: readonly number[]) => (tag: string, count: number) =>
  Array.from({ length: count || 100 }, (_, k) => `${prefix}${RUN}${count ? tag : 'w'}${k}.g${gateways[k % gateways.length]}.${zone} A`);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`bench:dns — fanout to ${FANOUTS.join(', ')} gateways, ${CONTROL_PLANES} control plane(s), ${SECONDS} s per run, latency runs at ${LATENCY_QPS} qps`);
  const lab = await DnsLab.start({ workloads: MAX_N, controlPlanes: CONTROL_PLANES });
  const zone = lab.zone;
  try {
    console.log(`  ${CONTROL_PLANES} control plane(s) and ${MAX_N} gateways up in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    for (let i = 0; i < MAX_N; i++) {
      const { admin } = lab.controlPlaneOf(i);
      await lab.exposeService(admin, `wild-g${i}`, { 'coredns.io/hostname': `*.g${i}.${zone}` }, answerIp(i));
    }
    for (let i = 0; i < MAX_N; i++) await lab.waitForAnswer(lab.gatewayIp(i), `check.g${i}.${zone}`, answerIp(i));
    console.log(`  machine quiet after ${((await settle()) / 1000).toFixed(0)} s more`);

    const gw = (i: number) => lab.gateways.get(i)!;
    await scenario('(a) gateway directly', undefined, { server: lab.gatewayIp(0), gateways: [gw(0)] }, spread(zone, 'a', [0]));

    for (const n of FANOUTS) {
      const authority = await lab.startAuthority(n);
      await lab.waitForAnswer(lab.authorityIp, `check.g${n - 1}.${zone}`, answerIp(n - 1));
      const all = { server: lab.authorityIp, authority, gateways: range(n).map(gw) };
      await scenario(`(b) authority, fanout ${n}, uncached`, n, all, spread(zone, 'b', range(n)));
      await scenario(`(c) authority, fanout ${n}, cache warm`, n, all, spread(zone, 'c', range(n)), { repeat: true });
      await scenario(`(e) NXDOMAIN, fanout ${n}`, n, all, (tag, count) => Array.from({ length: count }, (_, k) => `nx${RUN}${tag}${k}.${zone} A`));

      const dead = n - 1;
      await lab.stopGateway(dead);
      const hole = await blackHole(lab.gatewayIp(dead), 53);
      try {
        const live = { server: lab.authorityIp, authority, gateways: range(n - 1).map(gw) };
        await scenario(`(d) fanout ${n}, 1 dead, uncached`, n, live, spread(zone, 'd', range(n - 1)));
        // Each query waits for the fanout deadline: few per second keep the latency run unqueued.
        await scenario(`(e) NXDOMAIN, fanout ${n}, 1 dead`, n, live, (tag, count) => Array.from({ length: count }, (_, k) => `nd${RUN}${tag}${k}.${zone} A`), { latencyQps: 25 });
      } finally {
        await hole.close();
      }
      if (n === MAX_N) {
        // The gentler failure: nothing bound on the dead gateway's IP, so the kernel answers ICMP port
        // unreachable and fanout's read fails at once (what attempt-count is for).
        const live = { server: lab.authorityIp, authority, gateways: range(n - 1).map(gw) };
        const refusedNames = (prefix: string) => (tag: string, count: number) => Array.from({ length: count }, (_, k) => `${prefix}${RUN}${tag}${k}.${zone} A`);
        await scenario(`(g) NXDOMAIN, fanout ${n}, 1 refusing`, n, live, refusedNames('nr'));
        // The same with the attempt-count fleetnet synthesized before this benchmark (2), side by side.
        const previous = await lab.startAuthority(n, (c) => c.replace(/attempt-count \d+/, 'attempt-count 2'));
        await scenario(`(g) same, attempt-count 2 (old default)`, n, { ...live, authority: previous }, refusedNames('n2'));
        await lab.startAuthority(n);
      }
      await lab.startGateway(dead);
      await lab.waitForAnswer(lab.gatewayIp(dead), `check.g${dead}.${zone}`, answerIp(dead));
    }

    // (f) Why fanout costs what it does: the same single upstream behind fanout (the synthesized
    // Corefile of a one-workload fleet) and behind forward (that Corefile with one word changed).
    const one = loopbackBenchFleet(1);
    const { Corefile, ...files } = configMapData(synthesized(one.fleet, one.mgmt), 'tier-authority', 'authority');
    for (const [label, corefile] of [['(f) fanout, 1 upstream', Corefile], ['(f) forward, 1 upstream (diagnostic)', Corefile.replace(/^(\s+)fanout (\S+) ([^{\n]*)\{[^}]*\}/m, '$1forward $2 $3')]] as const) {
      await lab.stopAuthority();
      const run = await startCoreDns({ corefile, files, ip: lab.authorityIp });
      try {
        await lab.waitForAnswer(lab.authorityIp, `check.g0.${zone}`, answerIp(0));
        await scenario(label, 1, { server: lab.authorityIp, authority: run, gateways: [gw(0)] }, spread(zone, label.includes('forward') ? 'fw' : 'fo', [0]));
      } finally {
        await run.stop();
      }
    }
  } finally {
    await lab.stop();
  }
  report(started);
}

function report(started: number): void {
  const f = (x: number | undefined, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  console.log('\n| scenario | QPS (max) | lost | mean ms (max run) | p50 ms | p99 ms | answers (light run) | CPU µs/query: authority | gateways | whole machine |');
  console.log('|---|---:|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const r of rows) {
    const codes = Object.entries(r.lat.rcodes).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`| ${r.scenario} | ${f(r.thr.qps, 0)} | ${r.thr.lost} | ${f(r.thr.avgMs)} | ${f(r.lat.p50Ms)} | ${f(r.lat.p99Ms)} | ${codes} | ${f(r.cpu.authority, 0)} | ${f(r.cpu.gateways, 0)} | ${f(r.cpu.machine, 0)} |`);
  }
  const a = rows.find((r) => r.scenario.startsWith('(a)'))!;
  const find = (prefix: string, n: number) => rows.find((r) => r.scenario.startsWith(prefix) && r.n === n && !r.scenario.includes('dead'));
  const findDead = (prefix: string, n: number) => rows.find((r) => r.scenario.startsWith(prefix) && r.n === n && r.scenario.includes('dead'));
  const ratio = (x: Measured | undefined, y: Measured | undefined) => (x && y ? `${f(x.thr.qps / y.thr.qps)}x QPS, ${f(x.lat.p50Ms! / y.lat.p50Ms!)}x p50, ${f(x.lat.p99Ms! / y.lat.p99Ms!)}x p99` : '-');
  console.log('\n| fanout | (b)/(a) | (c)/(a) | (d)/(b) | (e)/(a) | (e dead)/(e) |');
  console.log('|---:|---|---|---|---|---|');
  for (const n of FANOUTS) {
    const b = find('(b)', n);
    console.log(`| ${n} | ${ratio(b, a)} | ${ratio(find('(c)', n), a)} | ${ratio(findDead('(d)', n), b)} | ${ratio(find('(e)', n), a)} | ${ratio(findDead('(e)', n), find('(e)', n))} |`);
  }
  const fo = rows.find((r) => r.scenario.startsWith('(f) fanout'));
  const fw = rows.find((r) => r.scenario.startsWith('(f) forward'));
  const g = rows.find((r) => r.scenario.startsWith('(g) NXDOMAIN'));
  const gOld = rows.find((r) => r.scenario.includes('old default'));
  if (g && gOld) console.log(`\n(g) one gateway refusing, synthesized attempt-count ${FANOUT_ATTEMPTS} / old 2: ${ratio(g, gOld)}`);
  if (fo && fw) console.log(`\n(f) one upstream: fanout/forward ${ratio(fo, fw)}; authority CPU ${f(fo.cpu.authority, 0)} vs ${f(fw.cpu.authority, 0)} µs/query`);
  let cpu = '';
  try {
    cpu = execFileSync('sh', ['-c', "lscpu | grep 'Model name' | sed 's/.*: *//'"], { encoding: 'utf8' }).trim();
  } catch {
    /* informational */
  }
  console.log(`\n${new Date().toISOString()}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores (${cpu}), ${CONTROL_PLANES} control plane(s), total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`dnsperf commands: ${rows[0]?.thr.args.join(' ')} | ${rows[0]?.lat.args.join(' ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
