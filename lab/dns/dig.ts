import { spawnSync } from 'node:child_process';
import { GiveUp, waitFor } from '../process';
import { requireLoopbackOrLab } from '../safe-address';

/** The parsed answer of one `dig` query. */
export interface DigResult {
  /** NOERROR, NXDOMAIN, SERVFAIL, ... or TIMEOUT when no answer came. */
  readonly status: string;
  /** Answer records' data (A/AAAA addresses, NS names, ...). */
  readonly answers: readonly string[];
  /** Authority section records, as text. */
  readonly authority: readonly string[];
  /** Wall-clock time of the query in milliseconds, measured around dig. */
  readonly ms: number;
}

/**
 * Asks `server` (a loopback address; port 53 unless given) one question with the real `dig`
 * (Debian dnsutils). One try, bounded by `timeoutSeconds`.
 */
export function dig(server: string, name: string, type = 'A', options: { port?: number; timeoutSeconds?: number; tcp?: boolean } = {}): DigResult {
  requireLoopbackOrLab(server, 'dig');
  const args = [`@${server}`, '-p', String(options.port ?? 53), name, type, '+tries=1', `+time=${options.timeoutSeconds ?? 5}`, '+noall', '+comments', '+answer', '+authority'];
  if (options.tcp) args.push('+tcp');
  const started = process.hrtime.bigint();
  const run = spawnSync('dig', args, { encoding: 'utf8', timeout: ((options.timeoutSeconds ?? 5) + 5) * 1000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.error) throw run.error;
  const out = run.stdout;
  const status = /status: ([A-Z]+)/.exec(out)?.[1] ?? (/timed out|no servers could be reached/.test(out) ? 'TIMEOUT' : `UNKNOWN(${out.trim()})`);
  const section = (title: string) => {
    const match = new RegExp(`;; ${title} SECTION:\\n([\\s\\S]*?)(?:\\n\\n|$)`).exec(out);
    return match ? match[1].split('\n').filter((l) => l.trim() !== '') : [];
  };
  return { status, answers: section('ANSWER').map((l) => l.split(/\s+/).slice(4).join(' ')), authority: section('AUTHORITY'), ms };
}

/**
 * Repeats `probe` until `accept` says yes or `timeoutMs` passes (the one bounded poll, `waitFor`);
 * returns the last result, accepted or not, and how long it took, so the test asserts on what it saw.
 */
export async function eventually<T>(probe: () => T, accept: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let value = probe();
  if (!accept(value)) {
    await waitFor('an accepted answer', () => {
      try {
        value = probe();
      } catch (e) {
        throw new GiveUp((e as Error).message);
      }
      return accept(value);
    }, { timeoutMs, intervalMs }).catch((e: Error) => {
      if (e instanceof GiveUp) throw e;
    });
  }
  return { value, ms: Date.now() - started };
}

/** The answer data of one query (`dig +short`-like), sorted; [] for NXDOMAIN/NODATA. */
export function answers(ip: string, port: number, name: string, type = 'A'): string[] {
  const r = dig(ip, name, type, { port, timeoutSeconds: 3 });
  if (r.status !== 'NOERROR' && r.status !== 'NXDOMAIN') throw new Error(`${name} ${type} at ${ip}:${port}: ${r.status}`);
  return [...r.answers].sort();
}

/** A zone transfer with the real dig, as sorted `name ttl class type data` lines (SOA serial kept). */
export function axfr(ip: string, port: number, zone: string): string[] {
  requireLoopbackOrLab(ip, 'dig AXFR');
  const run = spawnSync('dig', [`@${ip}`, '-p', String(port), zone, 'AXFR', '+nocmd', '+nocomments', '+nostats', '+time=5', '+tries=1'], { encoding: 'utf8', timeout: 15_000 });
  if (run.error) throw run.error;
  const lines = run.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith(';'));
  if (lines.length === 0) throw new Error(`AXFR of ${zone} from ${ip}:${port} returned nothing:\n${run.stdout}${run.stderr}`);
  // The SOA opens and closes a transfer; keep it once.
  return [...new Set(lines.map((l) => l.split(/\s+/).join(' ')))].sort();
}

/** The SOA serial a server answers for a zone. */
export function soaSerial(ip: string, port: number, zone: string): number {
  const soa = answers(ip, port, zone, 'SOA');
  if (soa.length !== 1) throw new Error(`no SOA for ${zone} at ${ip}:${port}`);
  return Number(soa[0].split(' ')[2]);
}
