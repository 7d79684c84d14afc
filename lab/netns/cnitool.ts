import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { binaries, CNI_BIN_DIR } from '../paths';

/** The Debian reference plugins (containernetworking-plugins). */
export const DEBIAN_CNI_PATH = CNI_BIN_DIR;

/** cnitool built by tools/cni/build.sh at the catalog's version. */
export function cnitoolPath(): string {
  const path = binaries.cnitool;
  if (!existsSync(path)) throw new Error(`${path} is missing: run bash tools/cni/build.sh (npm test builds it)`);
  return path;
}

export interface CnitoolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CnitoolTarget {
  /** Network namespace playing the node: the bridge, veth host sides, iptables rules and qdiscs land there. */
  readonly node: string;
  /** Network namespace playing the pod. */
  readonly pod: string;
  /** Network name in the conflist. */
  readonly network: string;
  /** Directory holding the conflist (NETCONFPATH). */
  readonly confDir: string;
  /**
   * Directory that stands in for /var/lib while cnitool runs, so libcni's result cache
   * (/var/lib/cni/results) stays out of this machine's /var/lib.
   */
  readonly varLib: string;
  /** Capability arguments (CAP_ARGS), e.g. portMappings and bandwidth. */
  readonly capArgs?: unknown;
}

/**
 * Runs `cnitool <command> <network> <pod netns>` inside the node namespace. `ip netns exec` gives the
 * process a private mount namespace, where /var/lib is bound to `varLib` before cnitool starts.
 */
export function cnitool(command: 'add' | 'check' | 'del', t: CnitoolTarget): CnitoolResult {
  const env = [`NETCONFPATH=${t.confDir}`, `CNI_PATH=${DEBIAN_CNI_PATH}`, 'CNI_IFNAME=eth0', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin'];
  if (t.capArgs !== undefined) env.push(`CAP_ARGS=${JSON.stringify(t.capArgs)}`);
  const script = 'mount --bind "$0" /var/lib && exec "$@"';
  const r = spawnSync('ip', ['netns', 'exec', t.node, 'sh', '-c', script, t.varLib, 'env', ...env, cnitoolPath(), command, t.network, `/var/run/netns/${t.pod}`], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}
