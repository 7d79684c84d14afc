import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { LabSlot } from './address-map';
import { spawnInSandbox, type NodeSandbox } from './node-sandbox';
import { sleep } from './system';

/**
 * The lab's Git server for Argo CD running as Pods (lab only): Pods cannot open the host path of the
 * lab's bare repository, so Debian's `git daemon` serves it read-only over git:// (no push, no
 * authentication) on the node's own address, from inside the node sandbox (its network and mount
 * namespaces and cgroup), so `npm run lab -- down` stops it with the node's other programs. A Pod
 * reaches it like any address of its node (the CNI's masquerade makes no difference for a local one).
 */

export const GIT_DAEMON_PORT = 9418;

/** The git:// URL Pods clone `<gitDir>/repo.git` from (what the lab copy's `git.repoURL` becomes). */
export function gitDaemonUrl(slot: LabSlot): string {
  return `git://${slot.nodeIP}:${GIT_DAEMON_PORT}/repo.git`;
}

/** Starts `git daemon` for `<gitDir>/repo.git` in the sandbox and waits (bounded) until it accepts connections. */
export async function startGitDaemon(sandbox: NodeSandbox, slot: LabSlot, gitDir: string, logFile: string): Promise<number> {
  const pid = spawnInSandbox(sandbox, [
    'git', 'daemon', '--reuseaddr', '--informative-errors', `--listen=${slot.nodeIP}`, `--port=${GIT_DAEMON_PORT}`,
    `--base-path=${gitDir}`, '--export-all', '--disable=receive-pack', join(gitDir, 'repo.git'),
  ], logFile, { PATH: '/usr/bin:/bin', HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
  for (let i = 0; i < 100; i++) {
    if (await accepts(slot.nodeIP, GIT_DAEMON_PORT)) return pid;
    await sleep(100);
  }
  throw new Error(`lab: git daemon did not listen on ${slot.nodeIP}:${GIT_DAEMON_PORT} within 10 s; see ${logFile}`);
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 500 });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.on('connect', () => done(true));
    socket.on('timeout', () => done(false));
    socket.on('error', () => done(false));
  });
}
