/**
 * A bounded loop of DNS queries, run by the lab tests inside a node's network namespace
 * (`ip netns exec <netns> node tsx dns-loop.ts …`): one A query every `intervalMs`, each from a new
 * socket (a new source port, as a resolver client uses, so no conntrack entry pins it to one backend),
 * with a `timeoutMs` bound and no retry. Every fifth query goes over TCP. A query counts as answered
 * only with NOERROR and at least one answer. Stops at SIGTERM or after `maxMs`, then prints one JSON
 * line: counts, the failures (time, transport, why) and the duration.
 *
 *   dns-loop.ts <server> <name> <intervalMs> <timeoutMs> <maxMs>
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';

const [server, name, intervalArg, timeoutArg, maxArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg);
const timeoutMs = Number(timeoutArg);
const maxMs = Number(maxArg);
if (!server || !name || !(intervalMs > 0) || !(timeoutMs > 0) || !(maxMs > 0)) {
  console.error('usage: dns-loop.ts <server> <name> <intervalMs> <timeoutMs> <maxMs>');
  process.exit(2);
}

function query(id: number): Buffer {
  const labels = name.replace(/\.$/, '').split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]); // RD, one question
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]); // root, type A, class IN
}

/** undefined when the reply answers query `id` with NOERROR and an answer, else why not. */
function check(reply: Buffer, id: number): string | undefined {
  if (reply.length < 12 || reply.readUInt16BE(0) !== id) return 'reply to another query';
  const rcode = reply[3] & 0x0f;
  if (rcode !== 0) return `rcode ${rcode}`;
  if (reply.readUInt16BE(6) === 0) return 'no answer';
  return undefined;
}

function udp(id: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const done = (why: string | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(why);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.on('error', (e) => done(e.message));
    socket.on('message', (m) => done(check(m, id)));
    socket.send(query(id), 53, server);
  });
}

function tcp(id: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: server, port: 53 });
    let buffer = Buffer.alloc(0);
    let settled = false;
    const done = (why: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.on('error', (e) => done(e.message));
    socket.on('close', () => done('closed without a reply'));
    socket.on('connect', () => {
      const q = query(id);
      socket.write(Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q]));
    });
    socket.on('data', (d: Buffer) => {
      buffer = Buffer.concat([buffer, d]);
      if (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) done(check(buffer.subarray(2, 2 + buffer.readUInt16BE(0)), id));
    });
  });
}

const begin = Date.now();
let sent = 0;
let answered = 0;
const failures: { atMs: number; transport: string; why: string }[] = [];
const pending = new Set<Promise<void>>();
let stopping = false;

async function finish(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  await Promise.all(pending);
  const byTransport = { udp: 0, tcp: 0 };
  for (let i = 1; i <= sent; i++) byTransport[i % 5 === 0 ? 'tcp' : 'udp']++;
  console.log(JSON.stringify({ sent, answered, failed: failures.length, byTransport, durationMs: Date.now() - begin, failures: failures.slice(0, 50) }));
  process.exit(0);
}

const ticker = setInterval(() => {
  if (Date.now() - begin >= maxMs) return void finish();
  sent++;
  const id = sent & 0xffff;
  const transport = sent % 5 === 0 ? 'tcp' : 'udp';
  const atMs = Date.now() - begin;
  const p = (transport === 'tcp' ? tcp(id) : udp(id)).then((why) => {
    if (why === undefined) answered++;
    else failures.push({ atMs, transport, why });
    pending.delete(p);
  });
  pending.add(p);
}, intervalMs);
process.on('SIGTERM', () => void finish());
console.log(JSON.stringify({ ready: true }));
process.on('SIGINT', () => void finish());
