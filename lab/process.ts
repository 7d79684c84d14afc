import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { alive } from './system';

/** Processes of the lab: each leads its own process group, logs to a file, and is stopped by its PID. */

export function spawnLogged(command: string, args: readonly string[], logFile: string, env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, [...args], { cwd, env, stdio: ['ignore', fd, fd], detached: true });
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
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

/** SIGTERM to each process group, SIGKILL to what is left after `graceMs`; bounded. */
export async function stopPids(pids: readonly number[], graceMs = 5000): Promise<void> {
  for (const pid of pids) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids) if (alive(pid)) signalGroup(pid, 'SIGKILL');
  const hard = Date.now() + 2000;
  while (pids.some(alive) && Date.now() < hard) await new Promise((r) => setTimeout(r, 50));
}

export function stopPidsSync(pids: readonly number[]): void {
  for (const pid of pids) signalGroup(pid, 'SIGKILL');
}

export function logTail(file: string, lines = 25): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') || '(empty log)';
}

/**
 * Waits (bounded) until `ready(log)` holds for the process's log; throws with the log's tail when the
 * process exits first or the time is up.
 */
export async function waitForLog(child: ChildProcess, logFile: string, what: string, ready: (log: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000; i++) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (ready(log)) return;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready. Last lines of ${logFile}:\n${logTail(logFile)}`);
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms. Last lines of ${logFile}:\n${logTail(logFile)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
