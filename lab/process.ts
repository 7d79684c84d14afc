import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { AddressInfo, connect, createServer } from 'node:net';
import { alive as pidAlive } from './system';

/**
 * The one way the lab and the tests run a real program in the background: in a process group of its
 * own (so a stop reaches whatever it forks), its output in a log file, every wait bounded. Programs
 * are killed when the Node process exits, unless started with `outlive` (the lab's daemons, which
 * `npm run lab -- down` stops by their PIDs).
 */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartProgramOptions {
  /** Where stdout and stderr go (appended). */
  readonly logFile: string;
  /** The whole environment of the program. @default - this process's environment */
  readonly env?: NodeJS.ProcessEnv;
  /** @default - this process's working directory */
  readonly cwd?: string;
  /** Keep it running after this Node process exits (it is not killed on exit, and not waited for). @default false */
  readonly outlive?: boolean;
  /** How to build the binary, for the error when it is missing (e.g. `run tools/metallb/build.sh`). @default - no check */
  readonly buildHint?: string;
}

export interface RunningProgram {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  /** The whole log so far. */
  log(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** SIGTERM to its process group, SIGKILL after `graceMs` (at once when 0: a crash); waits for the exit. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHook = false;
function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  // A test process that dies before its afterAll takes its programs with it.
  process.on('exit', () => running.forEach((c) => c.pid !== undefined && signalGroup(c.pid, 'SIGKILL')));
}

/** Sends `signal` to a process group led by `pid` (to the process alone when it leads none). */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Starts `binary` in its own process group with its output in `options.logFile`. */
export function startProgram(binary: string, args: readonly string[], options: StartProgramOptions): RunningProgram {
  if (options.buildHint !== undefined && !existsSync(binary)) throw new Error(`${binary} is missing: ${options.buildHint} (npm test builds it)`);
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  // A program that cannot be started (no such file, no permission) says so in its log, and is not alive.
  let failed = false;
  const exit = new Promise<void>((r) => {
    child.once('exit', () => r());
    child.once('error', (e) => {
      failed = true;
      appendFileSync(options.logFile, `could not start ${binary}: ${e.message}\n`);
      r();
    });
  });
  if (options.outlive) child.unref();
  else killOnExit(child);
  const alive = () => !failed && !exited(child);
  return {
    process: child,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    log: () => (existsSync(options.logFile) ? readFileSync(options.logFile, 'utf8') : ''),
    alive,
    stop: async (graceMs = 5000) => {
      if (!alive() || child.pid === undefined) return;
      signalGroup(child.pid, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
      const timer = setTimeout(() => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** SIGTERM to each process group, SIGKILL to what is left after `graceMs`; bounded. For programs known only by PID. */
export async function stopPids(pids: readonly number[], graceMs = 5000): Promise<void> {
  for (const pid of pids) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(pidAlive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) if (pidAlive(pid)) signalGroup(pid, 'SIGKILL');
  const hard = Date.now() + 2000;
  while (pids.some(pidAlive) && Date.now() < hard) await sleep(50);
}

export function stopPidsSync(pids: readonly number[]): void {
  for (const pid of pids) signalGroup(pid, 'SIGKILL');
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 25): string {
  if (!existsSync(file)) return '(no log written)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') || '(empty log)';
}

export interface WaitOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** @default 200 */
  readonly intervalMs?: number;
  /** What the error adds after the last check failed (the state seen, a log's tail). */
  readonly state?: () => string;
}

/** Thrown by a check of `waitFor` to end the wait at once (the program it waits on has exited, say). */
export class GiveUp extends Error {}

/**
 * Polls `check` until it returns a value other than undefined or false, bounded by count and time;
 * a check that throws counts as "not yet" (but a GiveUp ends the wait). The error names what was awaited, the last error and the state.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 200;
  const begin = Date.now();
  let lastError = '';
  for (let i = 0; i < Math.ceil(timeoutMs / intervalMs) + 1; i++) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
      lastError = '';
    } catch (e) {
      if (e instanceof GiveUp) throw e;
      lastError = (e as Error).message;
    }
    if (Date.now() - begin >= timeoutMs) break;
    await sleep(intervalMs);
  }
  const state = options.state?.();
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}${state ? `\n${state}` : ''}`);
}

/**
 * Waits (bounded) until `ready(log)` holds for the program's log; throws with the log's tail when the
 * program exits first or the time is up.
 */
export async function waitForLog(program: RunningProgram, what: string, ready: (log: string) => boolean, timeoutMs: number): Promise<void> {
  const tail = () => `Last lines of ${program.logFile}:\n${logTail(program.logFile)}`;
  await waitFor(`${what} to be ready`, () => {
    if (ready(program.log())) return true;
    if (!program.alive()) throw new GiveUp(`${what} exited (${program.process.exitCode ?? program.process.signalCode}) before it was ready. ${tail()}`);
    return false;
  }, { timeoutMs, intervalMs: 100, state: tail });
}

/** A port free on `ip` for both TCP and UDP right now (DNS servers bind both), picked by the OS; bounded tries. */
export async function freePort(ip = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = createServer();
    const port = await new Promise<number>((ok, fail) => {
      server.once('error', fail);
      server.listen(0, ip, () => ok((server.address() as AddressInfo).port));
    });
    const udp = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
    const udpFree = await new Promise<boolean>((ok) => {
      udp.once('error', () => ok(false));
      udp.bind(port, ip, () => ok(true));
    });
    udp.close();
    await new Promise((r) => server.close(r));
    if (udpFree) return port;
  }
  throw new Error(`no port free for both TCP and UDP on ${ip} in 20 tries`);
}

/** Whether something already listens on `port` (any address). */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((res) => {
    const server = createServer();
    server.once('error', () => res(true));
    server.listen(port, () => server.close(() => res(false)));
  });
}

/** Whether a TCP connection to ip:port succeeds (what a tcpSocket probe checks). */
export function tcpOpen(ip: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
