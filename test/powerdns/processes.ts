import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** Every process the PowerDNS tests start; killed on exit even when a test throws. */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a program with its output in `logFile`. */
export function startLogged(binary: string, args: readonly string[], logFile: string, env: Record<string, string> = {}): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(binary, [...args], { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
    running.add(child);
    child.once('exit', () => running.delete(child));
    return child;
  } finally {
    closeSync(fd);
  }
}

export function isRunning(child: ChildProcess | undefined): boolean {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Sends `signal` (SIGKILL after 3 s for SIGTERM) and waits for the exit. */
export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || !isRunning(child)) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

export function tail(file: string, lines = 25): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
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

/** Polls `check` until it returns a value or `timeoutMs` passes (bounded in count too); throws `describe()` then. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, describe: () => string = () => '', intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < Math.ceil(timeoutMs / intervalMs) + 1 && Date.now() < deadline; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms. ${describe()}`);
}
