import { addNetns, deleteNetns, netnsLinks } from '../netns/netns';
import { writeFileSync } from 'node:fs';

/**
 * Argo CD's processes run in a network namespace of their own that has only a loopback interface.
 * The controller's metrics server binds 0.0.0.0:8082 with no flag to change it, the repo-server and
 * Redis listen too: inside the namespace nothing outside can reach any of them, and none of them can
 * send a packet anywhere (a repoURL or a hook naming a real host fails at once, on no wire).
 *
 * Their one way out is the API server, through a Unix socket (a file, so it crosses namespaces):
 *   inside:  127.0.0.1:<port>  -- TCP forwarder -->  <dir>/apiserver.sock
 *   outside: <dir>/apiserver.sock  -- forwarder -->  the kubeconfig's host:port
 * TLS is end to end (the forwarders copy bytes); the kubeconfig Argo CD reads names 127.0.0.1 and keeps
 * the real host as `tls-server-name`, so the serving certificate is checked as before.
 */

/** Creates the namespace with its loopback up; throws when the name is taken (another lab). */
export function createNetns(name: string): void {
  addNetns(name, 'another Argo CD lab runs (or was killed)');
}

export { deleteNetns, netnsLinks };

/**
 * A byte-copying forwarder, run as its own process (so the lab's Node process can exit):
 *   node forward.js tcp-to-unix <port> <socket>      listens on 127.0.0.1:<port>
 *   node forward.js unix-to-tcp <socket> <host> <port>
 * It prints `ready` once listening.
 */
const FORWARDER = `'use strict';
const net = require('net');
const fs = require('fs');
const [mode, a, b, c] = process.argv.slice(2);
const pipe = (x, y) => { x.pipe(y); y.pipe(x); x.on('error', () => y.destroy()); y.on('error', () => x.destroy()); x.on('close', () => y.destroy()); y.on('close', () => x.destroy()); };
let server;
if (mode === 'tcp-to-unix') {
  server = net.createServer((s) => pipe(s, net.connect(b))).listen(Number(a), '127.0.0.1', () => console.log('ready'));
} else if (mode === 'unix-to-tcp') {
  try { fs.unlinkSync(a); } catch {}
  server = net.createServer((s) => pipe(s, net.connect(Number(c), b))).listen(a, () => { fs.chmodSync(a, 0o600); console.log('ready'); });
} else { console.error('usage: forward.js tcp-to-unix <port> <socket> | unix-to-tcp <socket> <host> <port>'); process.exit(2); }
server.on('error', (e) => { console.error(String(e)); process.exit(1); });
`;

export function writeForwarder(path: string): void {
  writeFileSync(path, FORWARDER, { mode: 0o644 });
}
