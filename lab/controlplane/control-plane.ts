import { ChildProcess, execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goModules } from '../../constructs/catalog';
import { binaries } from '../paths';
import { logTail, RunningProgram, signalGroup, sleep, startProgram } from '../process';

export { logTail };

/**
 * A real Kubernetes control plane for tests: one etcd and one kube-apiserver, built from the catalog's
 * Go modules by tools/controlplane/build.sh, listening only on 127.0.0.1 (free ports). No controller
 * manager, scheduler or kubelet runs: objects are stored, validated, admitted and authorized exactly as
 * by a cluster's API server, but nothing reconciles them.
 */

const LOOPBACK = '127.0.0.1';

/** Where tools/controlplane/build.sh puts the binaries for the catalog's versions. */
export const KUBE_APISERVER_BINARY = binaries.kubeApiserver;
export const ETCD_BINARY = binaries.etcd;

/** The issuer of ServiceAccount tokens (what an in-cluster API server would advertise). */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface StartControlPlaneOptions {
  /** Names the temp folder and the etcd member; letters, digits and dashes read best. */
  readonly name: string;
  /** `--service-cluster-ip-range`: only data here (no proxy runs), but fixed clusterIPs must fall inside it. @default '10.96.0.0/12' */
  readonly serviceClusterIpRange?: string;
  /** Fixed ports on 127.0.0.1 instead of free ones picked by the OS (a taken one is reported, never retried). */
  readonly ports?: { readonly apiserver?: number; readonly etcdClient?: number; readonly etcdPeer?: number };
  /** Extra kube-apiserver flags (`--name=value`), appended after the harness's own. */
  readonly extraApiserverArgs?: readonly string[];
  /** Bound on the wait for etcd health and for the API server's /readyz. @default 120000 */
  readonly startTimeoutMs?: number;
  /** Other binaries than the catalog's builds in .cache/bin (e.g. to try another version). */
  readonly binaries?: { readonly kubeApiserver?: string; readonly etcd?: string };
}

export interface ControlPlane {
  readonly name: string;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** The CA that signed the serving certificate (PEM). */
  readonly caPem: string;
  /** A bearer token of user `fleetnet-admin` in group `system:masters`. */
  readonly adminToken: string;
  /** `http://127.0.0.1:<port>` (no TLS, loopback only). */
  readonly etcdUrl: string;
  /** Temp folder with certificates, keys, etcd data and the two logs (removed by stop()). */
  readonly dir: string;
  readonly logs: { readonly etcd: string; readonly apiserver: string };
  /** Wall time from the call to a ready /readyz. */
  readonly startupMs: number;
  /** Stops both processes (their process groups) and removes the temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when a port the control plane needs on 127.0.0.1 is taken. */
export class PortInUseError extends Error {
  constructor(readonly port: number, readonly what: string, detail = '') {
    super(`${what}: 127.0.0.1:${port} is already in use${detail ? ` (${detail})` : ''}; stop what holds it or let the harness pick free ports`);
    this.name = 'PortInUseError';
  }
}

// ---- cleanup of everything started, also when a test throws or the process is interrupted ----

interface Started {
  readonly processes: RunningProgram[];
  readonly dir: string;
  watchdog?: RunningProgram;
}
const started = new Set<Started>();
let hooksInstalled = false;

function cleanupSync(entry: Started): void {
  for (const p of entry.processes) if (p.alive()) signalGroup(p.pid, 'SIGKILL');
  if (entry.watchdog?.alive()) signalGroup(entry.watchdog.pid, 'SIGKILL');
  if (!process.env.FLEETNET_KEEP_CONTROLPLANE) rmSync(entry.dir, { recursive: true, force: true });
  started.delete(entry);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => [...started].forEach(cleanupSync));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      [...started].forEach(cleanupSync);
      // Keep the default behaviour (exit on the signal) unless someone else handles it too.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/**
 * The last line of defence, for a test process killed with SIGKILL (no exit hook runs then): a shell
 * that polls this process once a second and, once it is gone, kills the process groups listed in
 * <dir>/.pids and removes <dir>. stop() kills it first. Bounded: it gives up after 12 hours.
 */
function startWatchdog(entry: Started): void {
  const script = [
    'i=0',
    'while [ "$i" -lt 43200 ] && kill -0 "$1" 2>/dev/null; do sleep 1; i=$((i+1)); done',
    'kill -0 "$1" 2>/dev/null && exit 0',
    'if [ -f "$2/.pids" ]; then for p in $(cat "$2/.pids"); do kill -KILL "-$p" 2>/dev/null; done; fi',
    '[ "$3" = keep ] || rm -rf "$2"',
  ].join('\n');
  const keep = process.env.FLEETNET_KEEP_CONTROLPLANE ? 'keep' : 'remove';
  entry.watchdog = startProgram('sh', ['-c', script, 'fleetnet-cp-watchdog', String(process.pid), entry.dir, keep], { logFile: '/dev/null', outlive: true });
}

function track(entry: Started, program: RunningProgram): ChildProcess {
  entry.processes.push(program);
  appendFileSync(join(entry.dir, '.pids'), `${program.pid}\n`);
  return program.process;
}

// ---- small helpers ----

function listen(server: Server, port: number): Promise<number> {
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(port, LOOPBACK, () => {
      const address = server.address();
      res(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Ports on 127.0.0.1: the fixed ones checked free, the others picked by the OS (all distinct). */
async function reservePorts(fixed: (number | undefined)[], what: string[]): Promise<number[]> {
  const servers = fixed.map(() => createServer());
  try {
    const ports: number[] = [];
    for (let i = 0; i < fixed.length; i++) {
      try {
        ports.push(await listen(servers[i], fixed[i] ?? 0));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(fixed[i] ?? 0, what[i]);
        throw e;
      }
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => (s.listening ? s.close(() => r()) : r()))));
  }
}

function get(url: string, options: { ca?: string; token?: string; timeoutMs?: number } = {}): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'GET',
        ca: options.ca,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        timeout: options.timeoutMs ?? 2000,
      },
      (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (c) => (body += c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${options.timeoutMs ?? 2000} ms`)));
    req.on('error', rej);
    req.end();
  });
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args[0]} failed (is openssl installed?): ${err.stderr?.toString() || err.message}`);
  }
}

/** A CA and a serving certificate for 127.0.0.1/localhost signed by it (P-256, valid 2 days). */
function writeServingCertificates(dir: string, name: string): { ca: string; cert: string; key: string } {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=fleetnet-test-ca-${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  openssl(['req', ...ec, '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=kube-apiserver'], dir);
  writeFileSync(
    join(dir, 'apiserver.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
      '',
    ].join('\n'),
  );
  openssl(['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'apiserver.crt',
    '-days', '2', '-extfile', 'apiserver.ext'], dir);
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'apiserver.crt'), key: join(dir, 'apiserver.key') };
}

function checkBinary(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${what} is not built: ${path} is missing. Run tools/controlplane/build.sh (npm test runs it) to build it from the ` +
        `catalog's Go module (constructs/catalog.ts).`,
    );
  }
}

/**
 * The environment of both processes. Any HTTP(S) connection they would open to a host other than
 * loopback (a webhook or aggregated API reached by `url:` or by a Pod IP a test made up) goes to a
 * "proxy" at 127.0.0.1:1, where nothing listens: refused at once, never sent off this machine. Go never
 * proxies loopback, so etcd and the API server's own loopback client are direct.
 */
function isolatedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(https?|all|no)_proxy$/i.test(k)) env[k] = v;
  const dead = 'http://127.0.0.1:1';
  Object.assign(env, { HTTPS_PROXY: dead, HTTP_PROXY: dead, https_proxy: dead, http_proxy: dead, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' });
  env.GOMAXPROCS = process.env.GOMAXPROCS ?? '2';
  return env;
}

function startLogged(binary: string, args: string[], logFile: string, cwd: string): RunningProgram {
  return startProgram(binary, args, { logFile, cwd, env: isolatedEnv() });
}

const ADDRESS_IN_USE = /address already in use/i;

function portFromLog(log: string, ports: Record<string, number>): [string, number] | undefined {
  for (const line of log.split('\n').filter((l) => ADDRESS_IN_USE.test(l))) {
    for (const [what, port] of Object.entries(ports)) if (line.includes(`:${port}`)) return [what, port];
    const other = /127\.0\.0\.1:(\d+)/.exec(line);
    if (other) return [`a port given in extra arguments`, Number(other[1])];
  }
  return undefined;
}

/** A port picked free that something else bound before our process did: worth another try. */
class RetryablePortClash extends PortInUseError {}

/**
 * Starts etcd and kube-apiserver on 127.0.0.1 and waits (bounded) until /readyz answers 200.
 * Always call stop() (afterAll); a process exit or SIGINT/SIGTERM also cleans up.
 */
export async function startControlPlane(opts: StartControlPlaneOptions): Promise<ControlPlane> {
  checkBinary(opts.binaries?.etcd ?? ETCD_BINARY, `etcd ${goModules.etcd.version}`);
  checkBinary(opts.binaries?.kubeApiserver ?? KUBE_APISERVER_BINARY, `kube-apiserver ${goModules.kubernetes.version}`);
  // Ports picked by the OS can be taken by someone else before the servers bind them: try again then.
  const fixed = opts.ports !== undefined && Object.values(opts.ports).some((p) => p !== undefined);
  const attempts = fixed ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      if (!(e instanceof RetryablePortClash) || attempt >= attempts) throw e;
    }
  }
}

async function startOnce(opts: StartControlPlaneOptions): Promise<ControlPlane> {
  const begin = Date.now();
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  const safeName = opts.name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 40) || 'cp';
  const [apiPort, etcdClientPort, etcdPeerPort] = await reservePorts(
    [opts.ports?.apiserver, opts.ports?.etcdClient, opts.ports?.etcdPeer],
    ['kube-apiserver secure port', 'etcd client port', 'etcd peer port'],
  );
  const dir = mkdtempSync(join(tmpdir(), `fleetnet-cp-${safeName}-`));
  const entry: Started = { processes: [], dir };
  installExitHooks();
  started.add(entry);
  startWatchdog(entry);
  const logs = { etcd: join(dir, 'etcd.log'), apiserver: join(dir, 'kube-apiserver.log') };
  const stop = async () => {
    if (!started.has(entry)) return;
    for (const p of [...entry.processes].reverse()) await p.stop(5000); // apiserver first, then etcd
    cleanupSync(entry);
  };
  const fail = async (error: string | Error): Promise<never> => {
    await stop();
    throw typeof error === 'string' ? new Error(error) : error;
  };

  try {
    // ---- etcd ----
    const etcdUrl = `http://${LOOPBACK}:${etcdClientPort}`;
    const peerUrl = `http://${LOOPBACK}:${etcdPeerPort}`;
    const etcd = track(entry, startLogged(
      opts.binaries?.etcd ?? ETCD_BINARY,
      [
        `--name=${safeName}`,
        `--data-dir=${join(dir, 'etcd-data')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=${safeName}=${peerUrl}`,
        '--initial-cluster-state=new',
        `--initial-cluster-token=fleetnet-${safeName}`,
        '--unsafe-no-fsync', // a throwaway store: skip fsync, a lot quicker on a shared disk
        '--log-level=warn',
      ],
      logs.etcd,
      dir,
    ));
    const etcdDeadline = begin + Math.min(timeoutMs, 60_000);
    let etcdHealthy = false;
    let lastProblem = '';
    for (let i = 0; i < 600 && Date.now() < etcdDeadline; i++) {
      if (etcd.exitCode !== null || etcd.signalCode !== null) break;
      try {
        const r = await get(`${etcdUrl}/health`, { timeoutMs: 1000 });
        if (r.status === 200 && /"health":\s*"true"/.test(r.body)) {
          etcdHealthy = true;
          break;
        }
        lastProblem = `/health answered ${r.status} ${r.body.trim()}`;
      } catch (e) {
        lastProblem = (e as Error).message;
      }
      await sleep(100);
    }
    if (!etcdHealthy) {
      const log = logTail(logs.etcd);
      const clash = portFromLog(log, { 'etcd client port': etcdClientPort, 'etcd peer port': etcdPeerPort });
      if (clash) await fail(new RetryablePortClash(clash[1], clash[0], 'etcd could not bind it'));
      const state = etcd.exitCode !== null || etcd.signalCode !== null ? `exited (${etcd.exitCode ?? etcd.signalCode})` : 'still running';
      await fail(`etcd ${goModules.etcd.version} for control plane "${opts.name}" did not become healthy at ${etcdUrl} ` +
        `(${state}; last check: ${lastProblem || 'none'}). Last lines of ${logs.etcd}:\n${log}`);
    }

    // ---- credentials ----
    const pki = join(dir, 'pki');
    mkdirSync(pki);
    const certs = writeServingCertificates(pki, safeName);
    const saKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(pki, 'sa.key'), saKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(pki, 'sa.pub'), saKeys.publicKey.export({ type: 'spki', format: 'pem' }));
    const adminToken = randomBytes(24).toString('hex');
    writeFileSync(join(pki, 'tokens.csv'), `${adminToken},fleetnet-admin,fleetnet-admin,"system:masters"\n`, { mode: 0o600 });
    const caPem = readFileSync(certs.ca, 'utf8');

    // ---- kube-apiserver ----
    const url = `https://${LOOPBACK}:${apiPort}`;
    const apiserver = track(entry, startLogged(
      opts.binaries?.kubeApiserver ?? KUBE_APISERVER_BINARY,
      [
        `--etcd-servers=${etcdUrl}`,
        `--bind-address=${LOOPBACK}`,
        `--advertise-address=${LOOPBACK}`,
        `--secure-port=${apiPort}`,
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
        `--tls-cert-file=${certs.cert}`,
        `--tls-private-key-file=${certs.key}`,
        `--client-ca-file=${certs.ca}`,
        `--token-auth-file=${join(pki, 'tokens.csv')}`,
        '--authorization-mode=Node,RBAC',
        `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
        `--service-account-key-file=${join(pki, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
        `--service-cluster-ip-range=${opts.serviceClusterIpRange ?? '10.96.0.0/12'}`,
        // The `kubernetes` Service's endpoints would be 127.0.0.1, which Endpoints validation refuses.
        '--endpoint-reconciler-type=none',
        // Webhooks, CRD conversion webhooks and aggregated APIs by Service: resolved through the
        // Service's EndpointSlices (none exist: no controller runs) instead of dialing its ClusterIP,
        // an address off this machine.
        '--enable-aggregator-routing=true',
        // As kubeadm clusters run: privileged pod templates (CNI, node agents) are admitted.
        '--allow-privileged=true',
        '--profiling=false',
        '--v=1',
        ...(opts.extraApiserverArgs ?? []),
      ],
      logs.apiserver,
      dir,
    ));
    const deadline = begin + timeoutMs;
    lastProblem = '';
    for (let i = 0; i < 1200 && Date.now() < deadline; i++) {
      if (apiserver.exitCode !== null || apiserver.signalCode !== null) break;
      if (etcd.exitCode !== null || etcd.signalCode !== null) {
        await fail(`etcd exited (${etcd.exitCode ?? etcd.signalCode}) while kube-apiserver was starting. Last lines of ${logs.etcd}:\n${logTail(logs.etcd)}`);
      }
      try {
        const r = await get(`${url}/readyz`, { ca: caPem, token: adminToken, timeoutMs: 2000 });
        if (r.status === 200) {
          return { name: opts.name, url, caPem, adminToken, etcdUrl, dir, logs, startupMs: Date.now() - begin, stop };
        }
        lastProblem = `/readyz answered ${r.status}: ${r.body.trim().split('\n').filter((l) => l.includes('failed')).join('; ') || r.body.trim().slice(0, 300)}`;
      } catch (e) {
        lastProblem = (e as Error).message;
      }
      await sleep(250);
    }
    const log = logTail(logs.apiserver, 40);
    const clash = portFromLog(log, { 'kube-apiserver secure port': apiPort });
    if (clash) await fail(new RetryablePortClash(clash[1], clash[0], 'kube-apiserver could not bind it'));
    const state = apiserver.exitCode !== null || apiserver.signalCode !== null ? `exited (${apiserver.exitCode ?? apiserver.signalCode})` : `not ready after ${timeoutMs} ms`;
    return await fail(`kube-apiserver ${goModules.kubernetes.version} for control plane "${opts.name}" at ${url}: ${state}; ` +
      `last check: ${lastProblem || 'none'}. Last lines of ${logs.apiserver}:\n${log}\nLast lines of ${logs.etcd}:\n${logTail(logs.etcd, 10)}`);
  } catch (e) {
    if (started.has(entry)) await stop();
    throw e;
  }
}
