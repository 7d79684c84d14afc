import { randomBytes } from 'node:crypto';
import { run as runArgv, tryRun } from '../system';

const PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/** Runs a program with only PATH (and `env`) in its environment, bounded in time; returns stdout. */
export function run(file: string, args: readonly string[], env: Record<string, string> = {}): string {
  return runArgv([file, ...args], { env: { PATH, ...env } });
}

/** A short random suffix for names of namespaces, bridges and files. */
export function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

/** Creates network namespace `name` with its loopback up; throws when the name is taken (`taken` says why it may be). */
export function addNetns(name: string, taken = 'a test or the lab left it behind'): void {
  if (netnsExists(name)) throw new Error(`network namespace ${name} exists already: ${taken}; stop it, or run \`ip netns delete ${name}\``);
  run('ip', ['netns', 'add', name]);
  run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
}

/** Deletes a network namespace, and with it every link, address, route and rule inside; fine when it is gone already. */
export function deleteNetns(name: string): void {
  tryRun(['ip', 'netns', 'delete', name]);
}

export function netnsExists(name: string): boolean {
  return run('ip', ['netns', 'list']).split('\n').some((l) => l.split(' ')[0] === name);
}

/** The interfaces of a namespace (for checks: `lo` alone, say). */
export function netnsLinks(name: string): string[] {
  return run('ip', ['-n', name, '-o', 'link', 'show'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':')[1].trim().split('@')[0]);
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
    addNetns(name);
    this.names.push(name);
    return name;
  }

  removeAll(): void {
    for (const name of this.names.splice(0)) deleteNetns(name);
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
