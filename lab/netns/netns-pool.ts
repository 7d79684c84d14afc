import { randomBytes } from 'node:crypto';
import { run as runArgv } from '../system';

const PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/** Runs a program with only PATH (and `env`) in its environment, bounded in time; returns stdout. */
export function run(file: string, args: readonly string[], env: Record<string, string> = {}): string {
  return runArgv([file, ...args], { env: { PATH, ...env } });
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
