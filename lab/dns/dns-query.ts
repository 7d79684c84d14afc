import { spawnSync } from 'node:child_process';
import { dig } from './dig';

export { dig };

/** The answer data of one query (`dig +short`-like), sorted; [] for NXDOMAIN/NODATA. */
export function answers(ip: string, port: number, name: string, type = 'A'): string[] {
  const r = dig(ip, name, type, { port, timeoutSeconds: 3 });
  if (r.status !== 'NOERROR' && r.status !== 'NXDOMAIN') throw new Error(`${name} ${type} at ${ip}:${port}: ${r.status}`);
  return [...r.answers].sort();
}

/** A zone transfer with the real dig, as sorted `name ttl class type data` lines (SOA serial kept). */
export function axfr(ip: string, port: number, zone: string): string[] {
  if (!ip.startsWith('127.')) throw new Error(`tests only query loopback addresses, not ${ip}`);
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
