import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Runs a command to its end (bounded: 60 s); returns its stdout, throws with its stderr when it fails. */
export function run(argv: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  try {
    return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input: options.input, env: options.env, timeout: 60_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`lab: \`${argv.join(' ')}\` failed: ${(err.stderr || err.message).trim()}`);
  }
}

/** Runs a command whose failure is fine (cleanup of something that may be gone already). */
export function tryRun(argv: readonly string[]): boolean {
  return spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** A command run inside a network namespace. */
export function inNetns(netns: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', netns, ...argv];
}

export function readSysctl(key: string): string | undefined {
  const file = `/proc/sys/${key.replace(/\./g, '/')}`;
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The inode of a process's namespace (`net`, `mnt`), or undefined when the process is gone. */
export function namespaceOf(pid: number | string, kind: 'net' | 'mnt'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}

/** Every process whose `kind` namespace is `ns` (e.g. `mnt:[4026532301]`). */
export function processesIn(kind: 'net' | 'mnt', ns: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    if (namespaceOf(entry, kind) === ns) out.push(Number(entry));
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}
