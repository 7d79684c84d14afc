import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { requireLoopback } from '../safe-address';

/** The rcode names a poll needs; anything else is shown as its number. */
const RCODES: Record<number, string> = { 0: 'NOERROR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

export interface UdpAnswer {
  /** NOERROR, NXDOMAIN, ... or TIMEOUT. */
  readonly rcode: string;
  /** The A records of the answer section, as dotted quads. */
  readonly a: readonly string[];
}

function encodeQuery(id: number, name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.');
  const parts = [Buffer.from([id >> 8, id & 255, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const label of labels) parts.push(Buffer.from([label.length]), Buffer.from(label, 'ascii'));
  parts.push(Buffer.from([0, 0, 1, 0, 1])); // root, QTYPE A, QCLASS IN
  return Buffer.concat(parts);
}

/** Skips a (possibly compressed) name; returns the offset after it. */
function skipName(msg: Buffer, offset: number): number {
  for (let i = 0; i < 128 && offset < msg.length; i++) {
    const len = msg[offset];
    if (len === 0) return offset + 1;
    if ((len & 0xc0) === 0xc0) return offset + 2;
    offset += len + 1;
  }
  throw new Error('malformed DNS name');
}

function decodeAnswer(msg: Buffer): UdpAnswer {
  const rcode = msg[3] & 15;
  const qd = msg.readUInt16BE(4);
  const an = msg.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < qd; i++) offset = skipName(msg, offset) + 4;
  const a: string[] = [];
  for (let i = 0; i < an && offset < msg.length; i++) {
    offset = skipName(msg, offset);
    const type = msg.readUInt16BE(offset);
    const rdlength = msg.readUInt16BE(offset + 8);
    offset += 10;
    if (type === 1 && rdlength === 4) a.push([...msg.subarray(offset, offset + 4)].join('.'));
    offset += rdlength;
  }
  return { rcode: RCODES[rcode] ?? String(rcode), a: a.sort() };
}

/**
 * One A query over UDP to a loopback server, from node (no child process, so a 50 ms poll costs
 * little): one try, bounded by `timeoutMs`.
 */
export function queryA(server: string, port: number, name: string, timeoutMs = 1000): Promise<UdpAnswer> {
  requireLoopback(server, 'DNS query');
  const id = randomInt(0, 65536);
  const socket = createSocket('udp4');
  return new Promise<UdpAnswer>((resolve) => {
    const done = (answer: UdpAnswer) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done({ rcode: 'TIMEOUT', a: [] }), timeoutMs);
    socket.on('error', () => done({ rcode: 'ERROR', a: [] }));
    socket.on('message', (msg) => {
      if (msg.length >= 12 && msg.readUInt16BE(0) === id) done(decodeAnswer(msg));
    });
    socket.send(encodeQuery(id, name), port, server);
  });
}

export interface TimedAnswer {
  /** When the query was sent, ms after the stream started. */
  readonly sentMs: number;
  /** Until its answer (or TIMEOUT after `timeoutMs`). */
  readonly ms: number;
  readonly rcode: string;
}

/**
 * Sends one query per name at a fixed rate (`qps`) without waiting for answers, each bounded by
 * `timeoutMs`, and resolves with every query's send time and latency once all are done.
 */
export async function timedStream(server: string, names: readonly string[], qps: number, timeoutMs: number): Promise<TimedAnswer[]> {
  if (!(qps > 0 && qps <= 2000)) throw new Error(`timedStream: 1 to 2000 qps, not ${qps}`);
  const started = performance.now();
  const pending: Promise<TimedAnswer>[] = [];
  for (let i = 0; i < names.length; i++) {
    const due = started + (i * 1000) / qps;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    pending.push(queryA(server, 53, names[i], timeoutMs).then((a) => ({ sentMs: sent - started, ms: performance.now() - sent, rcode: a.rcode })));
  }
  return Promise.all(pending);
}
