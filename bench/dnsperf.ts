import { spawn } from 'node:child_process';
import { requireLoopback } from '../lab/safe-address';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's dnsperf (package dnsperf, 2.10 here). */
export const DNSPERF = '/usr/bin/dnsperf';

export interface DnsperfOptions {
  /** A loopback address: the benchmarks never send a packet elsewhere. */
  readonly server: string;
  /** @default 53 */
  readonly port?: number;
  /** Query lines (`name type`), sent in order, wrapping around. */
  readonly queries: readonly string[];
  /** `-l`: run for this many seconds. */
  readonly seconds: number;
  /** `-n`: go through the query list at most this many times. @default - no limit but `seconds` */
  readonly maxRuns?: number;
  /** `-Q`: at most this many queries per second. @default - as fast as answers come back */
  readonly maxQps?: number;
  /** `-q`: queries outstanding at once. @default 100 (dnsperf) */
  readonly outstanding?: number;
  /** `-c`: clients (source ports). @default 1 (dnsperf) */
  readonly clients?: number;
  /** `-T`: threads. @default 1 (dnsperf) */
  readonly threads?: number;
  /** `-t`: seconds before a query counts as lost. @default 5 (dnsperf) */
  readonly timeoutSeconds?: number;
  /** `-v`: one line per response with its latency, from which the percentiles are computed. */
  readonly perQuery?: boolean;
  /** CPUs to pin dnsperf to (`taskset -c`). @default - not pinned */
  readonly cpus?: string;
}

export interface DnsperfResult {
  readonly args: readonly string[];
  readonly sent: number;
  readonly completed: number;
  readonly lost: number;
  readonly qps: number;
  readonly rcodes: Record<string, number>;
  /** dnsperf's own summary: mean, min, max over completed queries. */
  readonly avgMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** With `perQuery`: p50/p99 over the per-query latencies of completed queries (nearest rank); lost ones are not in it. */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least p% of the list at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function number(text: string, pattern: RegExp, what: string): number {
  const m = pattern.exec(text);
  if (!m) throw new Error(`dnsperf printed no ${what}:\n${text.slice(-2000)}`);
  return Number(m[1]);
}

/** Runs dnsperf once (bounded by `-l` and a hard kill `seconds + timeout + 15` s later) and parses its report. */
export async function dnsperf(o: DnsperfOptions): Promise<DnsperfResult> {
  requireLoopback(o.server, 'dnsperf');
  if (!(o.seconds > 0 && o.seconds <= 120)) throw new Error(`a dnsperf run is bounded to 120 s, not ${o.seconds}`);
  const dir = mkdtempSync(join(tmpdir(), 'fleetnet-dnsperf-'));
  const file = join(dir, 'queries.txt');
  writeFileSync(file, `${o.queries.join('\n')}\n`);
  const args = ['-s', o.server, '-p', String(o.port ?? 53), '-d', file, '-l', String(o.seconds)];
  const add = (flag: string, value: number | undefined) => value !== undefined && args.push(flag, String(value));
  add('-n', o.maxRuns);
  add('-Q', o.maxQps);
  add('-q', o.outstanding);
  add('-c', o.clients);
  add('-T', o.threads);
  add('-t', o.timeoutSeconds);
  if (o.perQuery) args.push('-v');
  const hardLimitMs = (o.seconds + (o.timeoutSeconds ?? 5) + 15) * 1000;
  try {
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const [command, ...argv] = o.cpus !== undefined ? ['taskset', '-c', o.cpus, DNSPERF, ...args] : [DNSPERF, ...args];
      const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => chunks.push(c));
      const timer = setTimeout(() => child.kill('SIGKILL'), hardLimitMs);
      child.once('error', reject);
      child.once('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, out: Buffer.concat(chunks).toString('utf8') });
      });
    });
    if (code !== 0) throw new Error(`dnsperf ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`);
    const rcodes: Record<string, number> = {};
    const codes = /Response codes:\s+([^\n]*)/.exec(out)?.[1] ?? '';
    for (const m of codes.matchAll(/([A-Z]+) (\d+) \(/g)) rcodes[m[1]] = Number(m[2]);
    let p50Ms: number | undefined;
    let p99Ms: number | undefined;
    if (o.perQuery) {
      // `> RCODE name type seconds` per answer; `> T name type` for a query that timed out.
      const latencies = [...out.matchAll(/^> [A-Z]+ \S+ \S+ (\d+\.\d+)$/gm)].map((m) => Number(m[1]) * 1000).sort((a, b) => a - b);
      p50Ms = percentile(latencies, 50);
      p99Ms = percentile(latencies, 99);
    }
    return {
      args: ['dnsperf', ...args.map((a) => (a === file ? '<queries>' : a))],
      sent: number(out, /Queries sent:\s+(\d+)/, 'queries sent'),
      completed: number(out, /Queries completed:\s+(\d+)/, 'queries completed'),
      lost: number(out, /Queries lost:\s+(\d+)/, 'queries lost'),
      qps: number(out, /Queries per second:\s+([\d.]+)/, 'QPS'),
      rcodes,
      avgMs: number(out, /Average Latency \(s\):\s+([\d.]+)/, 'average latency') * 1000,
      minMs: number(out, /\(min ([\d.]+),/, 'min latency') * 1000,
      maxMs: number(out, /max ([\d.]+)\)/, 'max latency') * 1000,
      p50Ms,
      p99Ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
