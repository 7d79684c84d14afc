/**
 * `npm run bench:dns`: the DNS data path measured against the real processes of the e2e test (our
 * CoreDNS build with the synthesized Corefiles, gateways watching real kube-apiservers), the tier
 * authority on each fan-out plugin side by side in one run: `fanout` (networkservicemesh) and
 * `fleetfanout` (ours), at every fan-out N, with `forward` to one gateway as the one-hop reference.
 *
 *   (a) one gateway asked directly
 *   (b) the authority fanning out to N gateways, names that miss its cache
 *   (c) the authority with its cache warm (the same 100 names again and again), largest N
 *   (e) NXDOMAIN through the authority, names that miss its cache
 *   (f) reference: the authority with `forward` to one gateway instead of a fan-out
 *   (g) NXDOMAIN with one gateway refusing (nothing bound: ICMP port unreachable), largest N
 *   (h) NXDOMAIN while one gateway is black-holed (iptables DROP, no ICMP), from the moment it goes:
 *       the first second, and after the authority has detected it
 *   (i) positive names of one gateway with 5 % loss on its link, each direction: false NXDOMAINs
 *
 * (b), (c), (e), (f), (g) run twice: as fast as answers come back (dnsperf's 100 queries outstanding:
 * QPS and the CPU per query) and at a fixed light rate with per-query output (-v: p50/p99 without
 * queueing). CPU is the processes' on-CPU time from /proc/<pid>/task/<tid>/schedstat (ns), divided
 * by completed queries. Every CoreDNS runs with GOMAXPROCS set (--gomaxprocs, default 1); with 2 or
 * more CPUs the authority is pinned to the last CPU and the gateways and dnsperf to the others, so the
 * authority's CPU is its own and not its share of a fight with the gateways.
 *
 * Options: --fanout 2,4,8  --control-planes K (default: one per gateway)  --seconds 4
 *          --latency-qps 300  --gomaxprocs 1  --loss 0.05
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { FANOUT_TIMEOUT_MS } from '../constructs/coredns/corefiles';
import { DEFAULT_FAN_OUT_PLUGIN, FanOutPlugin } from '../constructs/coredns/fleet-fanout';
import { CoreDnsRun } from '../lab/dns/coredns-process';
import { configMapData, synthesized } from '../lab/controlplane/rendered';
import { coreDnsPid, cpuMeter } from '../lab/cpu';
import { DnsLab, settle } from '../lab/dns/dns-lab';
import { TimedAnswer, timedStream } from '../lab/dns/udp-query';
import { dnsperf, DnsperfResult, percentile } from './dnsperf';
import { LinkFaults } from './link-faults';
import { loopbackBenchFleet } from '../lab/fleets/loopback-fleet';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const FANOUTS = option('fanout', '2,4,8').split(',').map(Number);
const MAX_N = Math.max(...FANOUTS);
const CONTROL_PLANES = Number(option('control-planes', String(MAX_N)));
const SECONDS = Number(option('seconds', '4'));
const LATENCY_QPS = Number(option('latency-qps', '300'));
const GOMAXPROCS = Number(option('gomaxprocs', '1'));
const LOSS = Number(option('loss', '0.05'));
const PLUGINS: readonly FanOutPlugin[] = ['fanout', 'fleetfanout'];
const CPUS = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
/** The authority gets the last CPU to itself (as far as this bench goes); everything else the rest. */
const AUTHORITY_CPUS = CPUS >= 2 ? String(CPUS - 1) : undefined;
const OTHER_CPUS = CPUS >= 2 ? `0-${CPUS - 2}` : undefined;
/** Unique names generated per throughput run: more than the fastest path answers in SECONDS, so none repeats. */
const UNIQUE_PER_SECOND = 60_000;
/** (h): NXDOMAIN queries per second and seconds from the black hole on. */
const HOLE_QPS = 100;
const HOLE_SECONDS = 5;
/** (i): positive queries per second and seconds under loss. */
const LOSS_QPS = 300;
const LOSS_SECONDS = 10;
/** Positive answers come from a wildcard Service per gateway: `*.g<i>.<zone>` → 127.0.83.<i+1>. */
const answerIp = (i: number) => `127.0.83.${i + 1}`;
/** Every name of this run carries it, so no run finds another's names in a cache. */
const RUN = randomBytes(3).toString('hex');

interface Measured {
  readonly scenario: string;
  readonly plugin: string;
  readonly n: number | undefined;
  readonly thr: DnsperfResult;
  readonly lat: DnsperfResult;
  /** CPU microseconds per completed query during the throughput run. */
  readonly cpu: { authority: number; gateways: number; machine: number };
  /** fleetfanout resends during the throughput and latency runs. */
  readonly resends?: number;
}

interface HoleResult {
  readonly plugin: string;
  readonly n: number;
  readonly answers: readonly TimedAnswer[];
  /** ms after the black hole when the authority's metrics first showed the gateway down; undefined if never (fanout keeps no health state). */
  readonly detectedMs: number | undefined;
}

interface LossResult {
  readonly plugin: string;
  readonly n: number;
  readonly run: DnsperfResult;
  readonly dropped: number;
  readonly resends?: number;
}

const rows: Measured[] = [];
const holes: HoleResult[] = [];
const losses: LossResult[] = [];

interface Targets { server: string; plugin: string; authority?: CoreDnsRun; gateways: CoreDnsRun[] }

/** A series of the authority's /metrics (its prometheus plugin on :9153; `name` a regex source), `absent` if missing. */
async function authorityCounter(lab: DnsLab, name: string, absent = 0): Promise<number> {
  const text = await fetch(`http://${lab.authorityIp}:9153/metrics`, { signal: AbortSignal.timeout(3000) }).then((r) => r.text(), () => '');
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : absent;
}

/**
 * One scenario: a throughput run over `names(count)` (unique unless `repeat`) and a latency run at
 * LATENCY_QPS (or `latencyQps`) over fresh names.
 */
async function scenario(lab: DnsLab, label: string, n: number | undefined, t: Targets, names: (tag: string, count: number) => string[], o: { repeat?: boolean; latencyQps?: number } = {}): Promise<Measured> {
  const pids = { authority: t.authority ? [coreDnsPid(t.authority.logFile)] : [], gateways: t.gateways.map((g) => coreDnsPid(g.logFile)) };
  // A repeated list is asked once first, so the runs find the cache warm.
  if (o.repeat) await dnsperf({ server: t.server, queries: names('w', 0), seconds: 5, maxRuns: 1, cpus: OTHER_CPUS });
  const resends0 = t.plugin === 'fleetfanout' ? await authorityCounter(lab, 'coredns_fleetfanout_resends_total') : 0;
  const meter = cpuMeter(pids);
  const thr = await dnsperf({ server: t.server, queries: names('t', o.repeat ? 0 : SECONDS * UNIQUE_PER_SECOND), seconds: SECONDS, maxRuns: o.repeat ? undefined : 1, cpus: OTHER_CPUS });
  const used = meter.stop();
  if (!o.repeat && thr.sent >= SECONDS * UNIQUE_PER_SECOND) console.warn(`${label}: the unique-name list ran out; some names may have been cached`);
  const latencyQps = o.latencyQps ?? LATENCY_QPS;
  const lat = await dnsperf({ server: t.server, queries: names('l', o.repeat ? 0 : SECONDS * latencyQps + 100), seconds: SECONDS, maxQps: latencyQps, perQuery: true, maxRuns: o.repeat ? undefined : 1, cpus: OTHER_CPUS });
  const resends = t.plugin === 'fleetfanout' ? (await authorityCounter(lab, 'coredns_fleetfanout_resends_total')) - resends0 : undefined;
  const per = (s: number) => (thr.completed > 0 ? (s * 1e6) / thr.completed : NaN);
  const row: Measured = { scenario: label, plugin: t.plugin, n, thr, lat, cpu: { authority: per(used.authority), gateways: per(used.gateways), machine: per(used.machine) }, resends };
  rows.push(row);
  const codes = Object.entries(thr.rcodes).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`  ${label.padEnd(40)} ${thr.qps.toFixed(0).padStart(6)} qps  p50 ${lat.p50Ms!.toFixed(2)} ms  p99 ${lat.p99Ms!.toFixed(2)} ms  authority ${row.cpu.authority.toFixed(1)} µs/q  lost ${thr.lost}/${thr.sent}  [${codes}]${resends !== undefined ? `  resends ${resends}` : ''}`);
  return row;
}

/** `<prefix><k>.g<gateway>.<zone>` for k < count, the gateways taking turns. */
const spread = (zone: string, prefix: string, gateways: readonly number[]) => (tag: string, count: number) =>
  Array.from({ length: count || 100 }, (_, k) => `${prefix}${RUN}${count ? tag : 'w'}${k}.g${gateways[k % gateways.length]}.${zone} A`);
const unique = (zone: string, prefix: string) => (tag: string, count: number) => Array.from({ length: count }, (_, k) => `${prefix}${RUN}${tag}${k}.${zone} A`);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** (h): black-holes gateway `dead` and streams NXDOMAIN queries at the authority from that moment on. */
async function blackHoleRun(lab: DnsLab, faults: LinkFaults, plugin: FanOutPlugin, n: number, dead: number): Promise<void> {
  const names = Array.from({ length: HOLE_QPS * HOLE_SECONDS }, (_, k) => `bh${RUN}${plugin[1]}${n}x${k}.${lab.zone}`);
  const gauge = `coredns_fleetfanout_gateway_healthy{to="${lab.gatewayIp(dead)}:53"}`;
  faults.blackHole(lab.gatewayIp(dead));
  const holed = performance.now();
  let answers: TimedAnswer[];
  let detectedMs: number | undefined;
  let streaming = true;
  try {
    // Detection as the authority itself reports it: its gauge polled every 20 ms (fleetfanout only).
    const watch = (async () => {
      for (let i = 0; plugin === 'fleetfanout' && streaming && i < (HOLE_SECONDS * 1000) / 20; i++) {
        if ((await authorityCounter(lab, gauge.replace(/[{}"]/g, (c) => `\\${c}`), 1)) === 0) {
          detectedMs = performance.now() - holed;
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    answers = await timedStream(lab.authorityIp, names, HOLE_QPS, FANOUT_TIMEOUT_MS + 2000);
    streaming = false;
    await watch;
  } finally {
    faults.clear();
  }
  const result: HoleResult = { plugin, n, answers, detectedMs };
  holes.push(result);
  const first = answers.filter((a) => a.sentMs < 1000).map((a) => a.ms).sort((a, b) => a - b);
  const after = afterDetection(result);
  const codes = countCodes(answers);
  console.log(`  (h) ${plugin}, fanout ${n}, 1 black-holed: first second p50 ${percentile(first, 50).toFixed(1)} p99 ${percentile(first, 99).toFixed(1)} ms; detected ${result.detectedMs === undefined ? 'never' : `${result.detectedMs.toFixed(0)} ms`}; after: p50 ${percentile(after, 50).toFixed(1)} p99 ${percentile(after, 99).toFixed(1)} ms; max ${Math.max(...answers.map((a) => a.ms)).toFixed(0)} ms [${codes}]`);
  // Let the gateway be found healthy again before the next run.
  await lab.waitForAnswer(lab.authorityIp, `back${RUN}${plugin[1]}${n}.g${dead}.${lab.zone}`, answerIp(dead));
  await new Promise((r) => setTimeout(r, 1500));
}

/** Latencies of the queries sent after detection (after 2 s if never detected, as with fanout). */
function afterDetection(h: HoleResult): number[] {
  const from = h.detectedMs ?? 2000;
  return h.answers.filter((a) => a.sentMs >= from).map((a) => a.ms).sort((a, b) => a - b);
}

const countCodes = (answers: readonly TimedAnswer[]) => Object.entries(answers.reduce<Record<string, number>>((m, a) => ({ ...m, [a.rcode]: (m[a.rcode] ?? 0) + 1 }), {})).map(([k, v]) => `${k} ${v}`).join(', ');

/** (i): LOSS on gateway `holder`'s link, both directions; positive names of that gateway only. */
async function lossRun(lab: DnsLab, faults: LinkFaults, plugin: FanOutPlugin, n: number, holder: number): Promise<void> {
  const names = Array.from({ length: LOSS_QPS * LOSS_SECONDS + 100 }, (_, k) => `ls${RUN}${plugin[1]}${n}x${k}.g${holder}.${lab.zone} A`);
  const resends0 = plugin === 'fleetfanout' ? await authorityCounter(lab, 'coredns_fleetfanout_resends_total') : 0;
  faults.loss(lab.gatewayIp(holder), LOSS);
  let run: DnsperfResult;
  let dropped: number;
  try {
    run = await dnsperf({ server: lab.authorityIp, queries: names, seconds: LOSS_SECONDS, maxQps: LOSS_QPS, perQuery: true, maxRuns: 1, outstanding: 1000, timeoutSeconds: 5, cpus: OTHER_CPUS });
  } finally {
    dropped = faults.dropped();
    faults.clear();
  }
  const resends = plugin === 'fleetfanout' ? (await authorityCounter(lab, 'coredns_fleetfanout_resends_total')) - resends0 : undefined;
  losses.push({ plugin, n, run, dropped, resends });
  const codes = Object.entries(run.rcodes).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`  (i) ${plugin}, fanout ${n}, ${(LOSS * 100).toFixed(0)} % loss on g${holder}: ${run.rcodes.NXDOMAIN ?? 0} false NXDOMAIN of ${run.completed} [${codes}], lost ${run.lost}, p50 ${run.p50Ms!.toFixed(2)} p99 ${run.p99Ms!.toFixed(2)} ms, ${dropped} datagrams dropped${resends !== undefined ? `, resends ${resends}` : ''}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`bench:dns — ${PLUGINS.join(' vs ')} at fanout ${FANOUTS.join(', ')}, ${CONTROL_PLANES} control plane(s), ${SECONDS} s per run, latency runs at ${LATENCY_QPS} qps, GOMAXPROCS=${GOMAXPROCS}, authority on CPU ${AUTHORITY_CPUS ?? '(not pinned)'}, gateways and dnsperf on CPU ${OTHER_CPUS ?? '(not pinned)'}`);
  const faults = LinkFaults.create();
  const lab = await DnsLab.start({ workloads: MAX_N, controlPlanes: CONTROL_PLANES, gomaxprocs: GOMAXPROCS, gatewayCpus: OTHER_CPUS, authorityCpus: AUTHORITY_CPUS });
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
    await scenario(lab, '(a) gateway directly', undefined, { server: lab.gatewayIp(0), plugin: '-', gateways: [gw(0)] }, spread(zone, 'a', [0]));

    // (f) the one-hop reference: the synthesized fanout Corefile of a one-workload fleet with fanout
    // replaced by forward (the same zone, cache, file and the rest).
    const one = loopbackBenchFleet(1, { fanOut: 'fanout' });
    const { Corefile, ...files } = configMapData(synthesized(one.fleet, one.mgmt), 'tier-authority', 'authority');
    const forwardCorefile = Corefile.replace(/^(\s+)fanout (\S+) ([^{\n]*)\{[^}]*\}/m, '$1forward $2 $3');
    if (forwardCorefile === Corefile) throw new Error(`no fanout block to replace in:\n${Corefile}`);
    await lab.stopAuthority();
    const fw = await lab.startOnAuthorityIp(forwardCorefile, files);
    try {
      await lab.waitForAnswer(lab.authorityIp, `check.g0.${zone}`, answerIp(0));
      await scenario(lab, '(f) forward, 1 upstream (one hop)', 1, { server: lab.authorityIp, plugin: 'forward', authority: fw, gateways: [gw(0)] }, spread(zone, 'f', [0]));
    } finally {
      await fw.stop();
    }

    for (const n of FANOUTS) {
      for (const plugin of PLUGINS) {
        const authority = await lab.startAuthority(n, { fanOut: plugin });
        await lab.waitForAnswer(lab.authorityIp, `check${plugin[1]}.g${n - 1}.${zone}`, answerIp(n - 1));
        const all = { server: lab.authorityIp, plugin, authority, gateways: range(n).map(gw) };
        await scenario(lab, `(b) ${plugin}, fanout ${n}, uncached`, n, all, spread(zone, `b${plugin[1]}`, range(n)));
        await scenario(lab, `(e) ${plugin}, fanout ${n}, NXDOMAIN`, n, all, unique(zone, `nx${plugin[1]}`));
        if (n === MAX_N && plugin === DEFAULT_FAN_OUT_PLUGIN) await scenario(lab, `(c) ${plugin}, fanout ${n}, cache warm`, n, all, spread(zone, 'c', range(n)), { repeat: true });
        await blackHoleRun(lab, faults, plugin, n, n - 1);
        await lossRun(lab, faults, plugin, n, 0);
      }
    }

    // (g) nothing bound on the last gateway's IP: the kernel answers ICMP port unreachable.
    const dead = MAX_N - 1;
    await lab.stopGateway(dead);
    try {
      for (const plugin of PLUGINS) {
        const authority = await lab.startAuthority(MAX_N, { fanOut: plugin });
        await lab.waitForAnswer(lab.authorityIp, `check${plugin[1]}g.g0.${zone}`, answerIp(0));
        await scenario(lab, `(g) ${plugin}, fanout ${MAX_N}, NXDOMAIN, 1 refusing`, MAX_N, { server: lab.authorityIp, plugin, authority, gateways: range(MAX_N - 1).map(gw) }, unique(zone, `nr${plugin[1]}`));
      }
    } finally {
      await lab.startGateway(dead);
    }
  } finally {
    faults.remove();
    await lab.stop();
  }
  report(started);
}

function report(started: number): void {
  const f = (x: number | undefined, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  console.log('\n| scenario | QPS (max) | lost | p50 ms | p99 ms | answers (light run) | CPU µs/query: authority | gateways | whole machine | resends |');
  console.log('|---|---:|---:|---:|---:|---|---:|---:|---:|---:|');
  for (const r of rows) {
    const codes = Object.entries(r.lat.rcodes).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`| ${r.scenario} | ${f(r.thr.qps, 0)} | ${r.thr.lost} | ${f(r.lat.p50Ms)} | ${f(r.lat.p99Ms)} | ${codes} | ${f(r.cpu.authority, 1)} | ${f(r.cpu.gateways, 0)} | ${f(r.cpu.machine, 0)} | ${r.resends ?? '-'} |`);
  }

  const get = (prefix: string, plugin: string, n: number) => rows.find((r) => r.scenario.startsWith(prefix) && r.plugin === plugin && r.n === n);
  const fwd = rows.find((r) => r.plugin === 'forward');
  console.log('\nAuthority CPU per query (µs), fleetfanout against fanout and the goal 1.5 × (26 + 8·N):');
  console.log('| N | fanout (b) | fleetfanout (b) | fanout/fleetfanout | goal | fanout (e) | fleetfanout (e) | forward, 1 hop |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of FANOUTS) {
    const fo = get('(b)', 'fanout', n);
    const ff = get('(b)', 'fleetfanout', n);
    console.log(`| ${n} | ${f(fo?.cpu.authority, 1)} | ${f(ff?.cpu.authority, 1)} | ${fo && ff ? f(fo.cpu.authority / ff.cpu.authority) : '-'}x | ${f(1.5 * (26 + 8 * n), 0)} | ${f(get('(e)', 'fanout', n)?.cpu.authority, 1)} | ${f(get('(e)', 'fleetfanout', n)?.cpu.authority, 1)} | ${f(fwd?.cpu.authority, 1)} |`);
  }
  console.log('\nLatency, light runs (ms), fleetfanout / fanout:');
  console.log('| N | (b) p50 | (b) p99 | (e) p50 | (e) p99 |');
  console.log('|---:|---|---|---|---|');
  for (const n of FANOUTS) {
    const pair = (prefix: string, key: 'p50Ms' | 'p99Ms') => {
      const fo = get(prefix, 'fanout', n);
      const ff = get(prefix, 'fleetfanout', n);
      return fo && ff ? `${f(ff.lat[key])} / ${f(fo.lat[key])}` : '-';
    };
    console.log(`| ${n} | ${pair('(b)', 'p50Ms')} | ${pair('(b)', 'p99Ms')} | ${pair('(e)', 'p50Ms')} | ${pair('(e)', 'p99Ms')} |`);
  }
  console.log(`\n(h) NXDOMAIN with one gateway black-holed, ${HOLE_QPS} qps for ${HOLE_SECONDS} s from the moment it goes (ms):`);
  console.log('| plugin | N | first second p50 | p99 | max | detected after | after detection p50 | p99 | max | slowest query | answers |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const h of holes) {
    const first = h.answers.filter((a) => a.sentMs < 1000).map((a) => a.ms).sort((a, b) => a - b);
    const after = afterDetection(h);
    console.log(`| ${h.plugin} | ${h.n} | ${f(percentile(first, 50), 1)} | ${f(percentile(first, 99), 1)} | ${f(first[first.length - 1], 1)} | ${h.detectedMs === undefined ? 'never' : f(h.detectedMs, 0)} | ${f(percentile(after, 50), 1)} | ${f(percentile(after, 99), 1)} | ${f(after[after.length - 1], 1)} | ${f(Math.max(...h.answers.map((a) => a.ms)), 0)} | ${countCodes(h.answers)} |`);
  }
  console.log(`\n(i) positive names of one gateway, ${(LOSS * 100).toFixed(0)} % loss each way on its link, ${LOSS_QPS} qps for ${LOSS_SECONDS} s:`);
  console.log('| plugin | N | queries | false NXDOMAIN | rate | other rcodes | lost | p50 ms | p99 ms | datagrams dropped | resends |');
  console.log('|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|');
  for (const l of losses) {
    const nx = l.run.rcodes.NXDOMAIN ?? 0;
    const other = Object.entries(l.run.rcodes).filter(([k]) => k !== 'NXDOMAIN' && k !== 'NOERROR').map(([k, v]) => `${k} ${v}`).join(', ') || '-';
    console.log(`| ${l.plugin} | ${l.n} | ${l.run.completed} | ${nx} | ${f((100 * nx) / Math.max(1, l.run.completed))} % | ${other} | ${l.run.lost} | ${f(l.run.p50Ms)} | ${f(l.run.p99Ms)} | ${l.dropped} | ${l.resends ?? '-'} |`);
  }
  let cpu = '';
  try {
    cpu = execFileSync('sh', ['-c', "lscpu | grep 'Model name' | sed 's/.*: *//'"], { encoding: 'utf8' }).trim();
  } catch {
    /* informational */
  }
  console.log(`\n${new Date().toISOString()}, ${CPUS} cores (${cpu}), ${CONTROL_PLANES} control plane(s), GOMAXPROCS=${GOMAXPROCS}, authority on CPU ${AUTHORITY_CPUS ?? '-'}, total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`dnsperf commands: ${rows[0]?.thr.args.join(' ')} | ${rows[0]?.lat.args.join(' ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
