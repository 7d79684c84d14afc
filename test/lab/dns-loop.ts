/**
 * A bounded loop of DNS queries, run by the lab tests inside a node's network namespace
 * (`ip netns exec <netns> node tsx dns-loop.ts …`): one A query every `intervalMs`, each from a new
 * socket (a new source port, as a resolver client uses, so no conntrack entry pins it to one backend),
 * with a `timeoutMs` bound. Every fifth query goes over TCP. A query counts as answered only with
 * NOERROR and at least one answer. A failed query is asked again up to `retries` times (default 0),
 * each from a new socket once the previous try timed out, as a stub resolver does; `failed` counts
 * queries whose first try failed, `lost` those whose retries failed too. Stops at SIGTERM or after
 * `maxMs`, then prints one JSON line: counts, the failures (time since start and wall-clock time,
 * transport, why, the retries' outcomes; for UDP the source port and, when that port had sent a query
 * less than 30 s before, how long before: the kernel's UDP conntrack timeout, within which the new
 * query follows the earlier one's conntrack entry to the backend it went to) and the duration.
 *
 *   dns-loop.ts <server> <name> <intervalMs> <timeoutMs> <maxMs> [retries]
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';

const [server, name, intervalArg, timeoutArg, maxArg, retriesArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg);
const timeoutMs = Number(timeoutArg);
const maxMs = Number(maxArg);
const retries = Number(retriesArg ?? 0);
if (!server || !name || !(intervalMs > 0) || !(timeoutMs > 0) || !(maxMs > 0) || !(retries >= 0)) {
  console.error('usage: dns-loop.ts <server> <name> <intervalMs> <timeoutMs> <maxMs> [retries]');
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

/** When each UDP source port last sent a query: a new query from the same port within the node's UDP
 * conntrack timeout (30 s) is sent along that earlier query's conntrack entry, to the backend it chose. */
const lastSentFromPort = new Map<number, number>();

function udp(id: number, onPort: (port: number) => void): Promise<string | undefined> {
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
    socket.send(query(id), 53, server, () => {
      try {
        onPort(socket.address().port);
      } catch {
        // closed already
      }
    });
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
let lost = 0;
/** UDP tries whose source port had sent a query less than 30 s before (most are answered: that earlier entry's backend is alive). */
let portReuses = 0;
const failures: { atMs: number; at: string; transport: string; why: string; port?: number; samePortMsAgo?: number; retried?: string[] }[] = [];
const pending = new Set<Promise<void>>();
let stopping = false;

async function finish(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  await Promise.all(pending);
  const byTransport = { udp: 0, tcp: 0 };
  for (let i = 1; i <= sent; i++) byTransport[i % 5 === 0 ? 'tcp' : 'udp']++;
  console.log(JSON.stringify({ sent, answered, failed: failures.length, lost, portReuses, byTransport, durationMs: Date.now() - begin, failures: failures.slice(0, 50) }));
  process.exit(0);
}

/** One try: its source port (UDP) and whether that port sent an earlier query within the last 30 s. */
async function attempt(transport: string, id: number, atMs: number): Promise<{ why?: string; port?: number; samePortMsAgo?: number }> {
  let port: number | undefined;
  let samePortMsAgo: number | undefined;
  const onPort = (p: number) => {
    port = p;
    const last = lastSentFromPort.get(p);
    if (last !== undefined && atMs - last < 30_000) {
      samePortMsAgo = atMs - last;
      portReuses++;
    }
    lastSentFromPort.set(p, atMs);
  };
  const why = await (transport === 'tcp' ? tcp(id) : udp(id, onPort));
  return { why, ...(port !== undefined ? { port } : {}), ...(samePortMsAgo !== undefined ? { samePortMsAgo } : {}) };
}

const ticker = setInterval(() => {
  if (Date.now() - begin >= maxMs) return void finish();
  sent++;
  const id = sent & 0xffff;
  const transport = sent % 5 === 0 ? 'tcp' : 'udp';
  const atMs = Date.now() - begin;
  const at = new Date().toISOString();
  const p = (async () => {
    const first = await attempt(transport, id, atMs);
    if (first.why === undefined) {
      answered++;
      return;
    }
    // A stub resolver's retry: after the timeout, the same question again from a new socket.
    const retried: string[] = [];
    for (let r = 1; r <= retries && retried[retried.length - 1] !== 'answered'; r++) {
      retried.push((await attempt(transport, (id + r * 0x4000) & 0xffff, Date.now() - begin)).why ?? 'answered');
    }
    if (retried[retried.length - 1] !== 'answered') lost++;
    failures.push({ atMs, at, transport, why: first.why!, ...(first.port !== undefined ? { port: first.port } : {}), ...(first.samePortMsAgo !== undefined ? { samePortMsAgo: first.samePortMsAgo } : {}), ...(retries ? { retried } : {}) });
  })().finally(() => pending.delete(p));
  pending.add(p);
}, intervalMs);
process.on('SIGTERM', () => void finish());
console.log(JSON.stringify({ ready: true }));
process.on('SIGINT', () => void finish());
