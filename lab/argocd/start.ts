import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { goModules } from '../../constructs/catalog';
import { applyInstallObjects } from './install-objects';
import { LabKube, readKubeconfig } from './kube';
import { createNetns, deleteNetns, writeForwarder } from './netns';
import { alive } from '../system';
import { startProgram, stopPids, stopPidsSync, waitForLog } from '../process';

const ROOT = resolve(__dirname, '../..');
const VERSION = goModules.argocdModule.version;

/** Where tools/argocd/build.sh puts the program and the module's files for the catalog's version. */
export const ARGOCD_BINARY = join(ROOT, '.cache/bin', `argocd-${VERSION}`);
export const ARGOCD_SHARE_DIR = join(ROOT, '.cache', `argocd-${VERSION}`);

/** Ports inside Argo CD's own network namespace (nothing else lives there, so they are fixed). */
const PORTS = { apiserver: 6443, redis: 6379, repoServer: 8081, controllerMetrics: 8082, repoServerMetrics: 8084 } as const;

export interface StartArgoCdOptions {
  /** Kubeconfig of the cluster Argo CD manages and runs against (`https://kubernetes.default.svc` means this one). */
  readonly kubeconfigPath: string;
  /** A folder of the caller's; Argo CD's files go to `<stateDir>/argocd/` (removed by stop()). */
  readonly stateDir: string;
  /**
   * Names the network namespace `fleetnet-argocd-<name>`; one lab per name at a time.
   * @default 'lab'
   */
  readonly name?: string;
  /**
   * Namespace Argo CD reads its settings and Applications from.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Install the Application health check that the bootstrap installs (bootstrap/application-health.ts),
   * so an app-of-apps honours its children's sync waves as in production.
   * @default true
   */
  readonly applicationHealthCheck?: boolean;
  /** Keys added to argocd-cm. @default {} */
  readonly extraSettings?: Readonly<Record<string, string>>;
  /**
   * Seconds between the controller's periodic refreshes (`--app-resync`); a push is seen sooner with
   * `requestRefresh`.
   * @default 60
   */
  readonly appResyncSeconds?: number;
  /** Bound on every wait while starting. @default 120000 */
  readonly startTimeoutMs?: number;
  /**
   * Kill everything when this Node process exits (tests). A CLI that leaves the lab running passes
   * false and later calls `stopArgoCdFromState(stateDir)`.
   * @default true
   */
  readonly stopOnExit?: boolean;
  /** Another build than the catalog's. @default ARGOCD_BINARY and ARGOCD_SHARE_DIR */
  readonly binary?: string;
  readonly shareDir?: string;
}

export interface ArgoCd {
  readonly namespace: string;
  /** The network namespace the controller, repo-server and Redis run in (only `lo` inside). */
  readonly netns: string;
  readonly dir: string;
  readonly version: string;
  readonly logs: { readonly controller: string; readonly repoServer: string; readonly redis: string; readonly forwarders: string };
  readonly pids: readonly number[];
  /** A client of the same cluster with the caller's kubeconfig. */
  readonly kube: LabKube;
  /** Wall time from the call to a running controller. */
  readonly startupMs: number;
  /** Milliseconds from the call to the end of each step (install objects, forwarders, redis, repo-server, controller). */
  readonly timings: Readonly<Record<string, number>>;
  /**
   * Kills every process, deletes the network namespace and removes `dir` (its logs first copied to
   * `keepLogsIn` when given). Safe to call twice.
   */
  stop(options?: StopOptions): Promise<void>;
}

export interface StopOptions {
  /** A folder to copy Argo CD's logs to before its state is removed. @default - not kept */
  readonly keepLogsIn?: string;
}

function keepLogs(dir: string, options?: StopOptions): void {
  if (options?.keepLogsIn && existsSync(join(dir, 'logs'))) cpSync(join(dir, 'logs'), options.keepLogsIn, { recursive: true });
}

interface SavedState {
  readonly pids: number[];
  readonly netns: string;
  readonly dir: string;
}

const STATE_FILE = 'argocd-lab.json';
const running = new Set<SavedState>();
let exitHook = false;

function cleanupSync(state: SavedState): void {
  stopPidsSync(state.pids);
  deleteNetns(state.netns);
  rmSync(state.dir, { recursive: true, force: true });
  running.delete(state);
}

/** Stops an Argo CD lab started (possibly by another process) with this stateDir; false when none ran. */
export async function stopArgoCdFromState(stateDir: string, options?: StopOptions): Promise<boolean> {
  const file = join(stateDir, 'argocd', STATE_FILE);
  if (!existsSync(file)) return false;
  const state = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
  await stopPids(state.pids);
  deleteNetns(state.netns);
  keepLogs(state.dir, options);
  rmSync(state.dir, { recursive: true, force: true });
  return true;
}

/**
 * Starts Argo CD's application-controller and repo-server (v3, built by tools/argocd/build.sh) as host
 * processes, with Redis from Debian, all inside a network namespace of their own (see netns.ts), against
 * the cluster of `kubeconfigPath`; first installs the CRDs and settings objects Argo CD needs.
 */
export async function startArgoCd(options: StartArgoCdOptions): Promise<ArgoCd> {
  const begin = Date.now();
  const binary = options.binary ?? ARGOCD_BINARY;
  const share = options.shareDir ?? ARGOCD_SHARE_DIR;
  if (!existsSync(binary) || !existsSync(join(share, '.complete'))) {
    throw new Error(`Argo CD ${VERSION} is not built (${binary} or ${share} missing): run tools/argocd/build.sh (npm test runs it)`);
  }
  const namespace = options.namespace ?? 'argocd';
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const name = (options.name ?? 'lab').replace(/[^A-Za-z0-9-]/g, '-').slice(0, 24);
  const netns = `fleetnet-argocd-${name}`;
  const dir = join(resolve(options.stateDir), 'argocd');
  if (existsSync(join(dir, STATE_FILE))) {
    throw new Error(`an Argo CD lab already runs with state in ${dir}: stop it first (stopArgoCdFromState('${options.stateDir}'))`);
  }
  rmSync(dir, { recursive: true, force: true });
  const sub = (...p: string[]) => {
    const d = join(dir, ...p);
    mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  };
  const logsDir = sub('logs');
  const logs = {
    controller: join(logsDir, 'application-controller.log'),
    repoServer: join(logsDir, 'repo-server.log'),
    redis: join(logsDir, 'redis.log'),
    forwarders: join(logsDir, 'forwarders.log'),
  };

  const timings: Record<string, number> = {};
  const mark = (step: string) => (timings[step] = Date.now() - begin);
  const config = readKubeconfig(options.kubeconfigPath);
  const kube = new LabKube(config);
  const version = await kube.request('GET', '/version').catch((e: Error) => ({ status: 0, body: e.message }));
  if (version.status !== 200) {
    throw new Error(`the API server of ${options.kubeconfigPath} (${config.server}) does not answer /version: ${JSON.stringify(version.body).slice(0, 200)}`);
  }
  await applyInstallObjects(kube, {
    namespace,
    crdDir: join(share, 'crds'),
    applicationHealthCheck: options.applicationHealthCheck ?? true,
    extraSettings: options.extraSettings,
  }, timeoutMs);
  mark('install objects');

  const state: SavedState = { pids: [], netns, dir };
  const save = () => writeFileSync(join(dir, STATE_FILE), JSON.stringify(state, null, 2));
  createNetns(netns);
  save();
  running.add(state);
  if ((options.stopOnExit ?? true) && !exitHook) {
    exitHook = true;
    process.on('exit', () => [...running].forEach(cleanupSync));
  }
  const stop = async (stopOptions?: StopOptions) => {
    if (!running.has(state)) return;
    await stopPids([...state.pids].reverse());
    deleteNetns(state.netns);
    keepLogs(state.dir, stopOptions);
    rmSync(state.dir, { recursive: true, force: true });
    running.delete(state);
    kube.close();
  };
  const inNetns = (args: string[]) => ['netns', 'exec', netns, ...args];
  const track = (pid: number | undefined) => {
    if (pid !== undefined) state.pids.push(pid);
    save();
  };

  try {
    // ---- the way to the API server ----
    const forwarder = join(dir, 'forward.js');
    writeForwarder(forwarder);
    const socket = join(sub('run'), 'apiserver.sock');
    const api = new URL(config.server);
    const apiHost = api.hostname.replace(/^\[|\]$/g, '');
    const apiPort = api.port || '443';
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: sub('home') };
    const outside = startProgram(process.execPath, [forwarder, 'unix-to-tcp', socket, apiHost, apiPort], { logFile: logs.forwarders, env: baseEnv, cwd: dir, outlive: true });
    track(outside.pid);
    await waitForLog(outside, 'API forwarder (host side)', (l) => l.includes('ready'), timeoutMs);
    const inside = startProgram('ip', inNetns([process.execPath, forwarder, 'tcp-to-unix', String(PORTS.apiserver), socket]), { logFile: logs.forwarders, env: baseEnv, cwd: dir, outlive: true });
    track(inside.pid);
    await waitForLog(inside, 'API forwarder (inside)', (l) => l.split('ready').length > 2, timeoutMs);
    mark('forwarders');

    // The kubeconfig Argo CD reads: the same cluster and user, through the forwarder.
    const argoKubeconfig = join(dir, 'kubeconfig');
    const b64 = (s?: string) => (s ? Buffer.from(s).toString('base64') : undefined);
    const clean = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    writeFileSync(
      argoKubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'lab', cluster: clean({
          server: `https://127.0.0.1:${PORTS.apiserver}`,
          'certificate-authority-data': b64(config.caPem),
          // The serving certificate names the real host, not the forwarder's loopback address.
          'tls-server-name': config.tlsServerName ?? (apiHost === '127.0.0.1' ? undefined : apiHost),
        }) }],
        users: [{ name: 'lab', user: clean({ token: config.token, 'client-certificate-data': b64(config.certPem), 'client-key-data': b64(config.keyPem) }) }],
        contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'lab', namespace } }],
        'current-context': 'lab',
      }),
      { mode: 0o600 },
    );

    // ---- Redis (Debian's), in memory only ----
    const redis = startProgram('ip', inNetns(['redis-server', '--bind', '127.0.0.1', '--port', String(PORTS.redis), '--save', '', '--appendonly', 'no', '--dir', sub('redis'), '--daemonize', 'no', '--protected-mode', 'yes']), { logFile: logs.redis, env: baseEnv, cwd: dir, outlive: true });
    track(redis.pid);
    await waitForLog(redis, 'redis-server', (l) => l.includes('Ready to accept connections'), timeoutMs);
    mark('redis');

    // ---- Argo CD ----
    const argoEnv: NodeJS.ProcessEnv = {
      // The module's wrapper scripts and the program under its command names come first.
      PATH: `${join(share, 'bin')}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      HOME: sub('home'),
      TMPDIR: sub('tmp'),
      KUBECONFIG: argoKubeconfig,
      ARGOCD_FAKE_IN_CLUSTER: 'true',
      ARGOCD_GPG_ENABLED: 'false',
      ARGOCD_TLS_DATA_PATH: sub('tls'),
      ARGOCD_SSH_DATA_PATH: sub('ssh'),
      ARGOCD_GNUPGHOME: sub('gnupg'),
      ARGOCD_GPG_DATA_PATH: sub('gpg-keys'),
      ARGOCD_APP_CONF_PATH: sub('app-config'),
      ARGOCD_PLUGINSOCKFILEPATH: sub('plugins'),
      ARGOCD_ASK_PASS_SOCK: join(sub('run'), 'askpass.sock'),
      GIT_CONFIG_NOSYSTEM: '1',
      GOMAXPROCS: '2',
    };
    const repoServer = startProgram('ip', inNetns([
        join(share, 'bin', 'argocd-repo-server'),
        '--address=127.0.0.1',
        `--port=${PORTS.repoServer}`,
        '--metrics-address=127.0.0.1',
        `--metrics-port=${PORTS.repoServerMetrics}`,
        `--redis=127.0.0.1:${PORTS.redis}`,
        '--disable-tls',
        '--client-ca-path=', // the default path plus --disable-tls is refused
        '--logformat=text',
      ]), { logFile: logs.repoServer, env: argoEnv, cwd: dir, outlive: true });
    track(repoServer.pid);
    await waitForLog(repoServer, 'argocd-repo-server', (l) => l.includes('argocd-repo-server is listening on'), timeoutMs);
    mark('repo-server');

    const controller = startProgram('ip', inNetns([
        join(share, 'bin', 'argocd-application-controller'),
        `--namespace=${namespace}`,
        `--repo-server=127.0.0.1:${PORTS.repoServer}`,
        '--repo-server-plaintext',
        `--redis=127.0.0.1:${PORTS.redis}`,
        `--metrics-port=${PORTS.controllerMetrics}`,
        `--app-resync=${options.appResyncSeconds ?? 60}`,
        '--logformat=text',
      ]), { logFile: logs.controller, env: argoEnv, cwd: dir, outlive: true });
    track(controller.pid);
    await waitForLog(controller, 'argocd-application-controller', (l) => /appResyncPeriod=/.test(l), timeoutMs);
    // Then it must stay up while it reads its settings and the cluster (a bad setting ends it here).
    await new Promise((r) => setTimeout(r, 1500));
    if (!alive(controller.pid!)) {
      await waitForLog(controller, 'argocd-application-controller', () => false, 0);
    }
    mark('controller');
    return { namespace, netns, dir, version: VERSION, logs, pids: state.pids, kube, startupMs: Date.now() - begin, timings, stop };
  } catch (e) {
    const keep = process.env.FLEETNET_KEEP_ARGOCD ? `${dir}.failed` : undefined;
    if (keep) {
      rmSync(keep, { recursive: true, force: true });
      cpSync(logsDir, keep, { recursive: true });
    }
    await stop();
    throw e;
  }
}
