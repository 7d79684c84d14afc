import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/** Runs a program, bounded in time; returns stdout. Throws with stderr on failure. */
export function run(file: string, args: readonly string[], env: Record<string, string> = {}): string {
  return execFileSync(file, [...args], { encoding: 'utf8', timeout: 30_000, env: { PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A short random suffix for names of namespaces, bridges and files. */
export function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

/**
 * Network namespaces created by one test file, all named `fleetnet-test-<suffix>-…`; `removeAll`
 * deletes them, and with them every link, bridge, address, route, iptables rule and qdisc inside.
 */
export class NetnsPool {
  private readonly names: string[] = [];
  readonly prefix = `fleetnet-test-${uniqueSuffix()}`;

  constructor() {
    // Also when the worker exits without reaching afterAll.
    process.once('exit', () => this.removeAll());
  }

  create(tag: string): string {
    const name = `${this.prefix}-${tag}`;
    run('ip', ['netns', 'add', name]);
    this.names.push(name);
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    return name;
  }

  removeAll(): void {
    for (const name of this.names.splice(0)) {
      try {
        run('ip', ['netns', 'delete', name]);
      } catch {
        // already gone
      }
    }
  }

  /** Namespaces with this file's prefix that still exist (for the cleanup assertion). */
  leftovers(): string[] {
    return run('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(this.prefix));
  }
}

/** Runs a program inside a network namespace. */
export function inNetns(netns: string, file: string, args: readonly string[], env: Record<string, string> = {}): string {
  return run('ip', ['netns', 'exec', netns, 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), file, ...args]);
}
