import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { goModules } from '../../constructs/catalog';
import type { KubeClient, KubeObject } from '../controlplane/kube-client';

/** Where tools/metallb/build.sh puts the controller built from the catalog's Go module. */
export const METALLB_CONTROLLER_BINARY = join(resolve(__dirname, '../..'), '.cache/bin', `metallb-controller-${goModules.metallb.version}`);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1, picked by the OS. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

/** Whether something already listens on `port` (any address). */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((res) => {
    const server = createServer();
    server.once('error', () => res(true));
    server.listen(port, () => server.close(() => res(false)));
  });
}

/**
 * Polls `check` until it returns a value other than undefined; bounded by count and time. The error
 * names what was awaited and the last state seen.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number; state?: () => string } = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (let i = 0; i < Math.ceil(timeoutMs / intervalMs) + 1 && Date.now() < deadline; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}${options.state ? `\n${options.state()}` : ''}`);
}

type Container = { name: string; args?: string[]; env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] };

/**
 * The controller's command line and environment exactly as the synthesized Deployment gives them, with
 * the downward-API fields resolved for `pod` and the given flags replaced (ports, certificate folder:
 * what a pod gets from its own network namespace and volume).
 */
export function commandFromDeployment(deployment: KubeObject, pod: { name: string; namespace: string }, overrides: Record<string, string>): { args: string[]; env: Record<string, string> } {
  const container = (deployment.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0];
  const args = (container.args ?? []).map((a) => {
    const flag = a.split('=')[0];
    return flag in overrides ? `${flag}=${overrides[flag]}` : a;
  });
  for (const [flag, value] of Object.entries(overrides)) if (!args.some((a) => a.startsWith(`${flag}=`))) args.push(`${flag}=${value}`);
  const fields: Record<string, string> = { 'metadata.name': pod.name, 'metadata.namespace': pod.namespace };
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const path = e.valueFrom?.fieldRef?.fieldPath;
    if (path !== undefined && !(path in fields)) throw new Error(`env ${e.name}: the test cannot resolve fieldRef ${path}`);
    env[e.name] = path !== undefined ? fields[path] : (e.value ?? '');
  }
  return { args, env };
}

export interface RunningProgram {
  readonly process: ChildProcess;
  readonly logFile: string;
  /** The whole log so far. */
  log(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after a grace period; safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHook = false;
function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  // If the test process dies before afterAll, take the programs with it.
  process.on('exit', () => {
    for (const c of running) if (c.pid !== undefined) try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
  });
}

/** Starts `binary` in its own process group with output to `logFile`; always stop() it (afterAll). */
export function startProgram(binary: string, args: string[], env: Record<string, string>, logFile: string): RunningProgram {
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run tools/metallb/build.sh (npm test runs it) to build the MetalLB controller from the catalog's Go module`);
  }
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { stdio: ['ignore', fd, fd], detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GOMAXPROCS: '2', ...env } });
  } finally {
    closeSync(fd);
  }
  killOnExit(child);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const kill = (signal: NodeJS.Signals) => {
    if (!alive() || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* gone */
    }
  };
  return {
    process: child,
    logFile,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    alive,
    stop: async () => {
      if (!alive()) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Waits until a started controller serves as it would in a pod: it has written its webhook
 * certificate into the Secret we render empty (which the test then projects into `certDir`, as the
 * kubelet's secret volume would) and reports its configuration valid.
 */
export async function waitForControllerConfigured(
  admin: KubeClient, controller: RunningProgram, options: { namespace: string; certDir: string; state: () => string },
): Promise<void> {
  const { namespace, certDir, state } = options;
  const cert = await waitFor('the controller to write its certificate into Secret metallb-webhook-cert', async () => {
    if (!controller.alive()) throw new Error('the controller exited');
    const d = (await admin.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', 'metallb-webhook-cert', namespace))?.data;
    return d?.['tls.crt'] ? d : undefined;
  }, { timeoutMs: 30_000, state });
  for (const [key, value] of Object.entries(cert)) writeFileSync(join(certDir, key), Buffer.from(value, 'base64'));
  await waitFor('the controller to report its configuration (ConfigurationState "controller")', async () =>
    (await admin.get<KubeObject & { status?: { result?: string } }>('metallb.io/v1beta1', 'ConfigurationState', 'controller', namespace))?.status?.result === 'Valid' ? true : undefined,
  { timeoutMs: 30_000, state });
}
