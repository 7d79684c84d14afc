import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { goModules } from '../../constructs/catalog';
import type { ControlPlane } from './control-plane';
import { logTail } from './control-plane';
import { writeKubeconfig } from './kube-client';

/** kube-controller-manager of the catalog's Kubernetes version, as tools/node/build.sh builds it. */
export const KUBE_CONTROLLER_MANAGER = join(resolve(__dirname, '../..'), '.cache/bin', `kube-controller-manager-${goModules.kubernetes.version}`);

export interface ControllerManager {
  readonly log: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * A real kube-controller-manager beside the harness's API server (loopback only), so that what a
 * cluster's controllers do after a delete happens: the garbage collector removes dependents (the
 * provider deletes with foreground propagation) and the namespace controller empties and removes
 * Namespaces. Without it a destroy waits forever for objects stuck Terminating. Nothing schedules or
 * runs Pods (no scheduler, no kubelet). Its HTTP(S) proxy is a dead loopback port, as for the harness.
 */
export async function startControllerManager(cp: ControlPlane): Promise<ControllerManager> {
  if (!existsSync(KUBE_CONTROLLER_MANAGER)) throw new Error(`${KUBE_CONTROLLER_MANAGER} is missing. Fix: run tools/node/build.sh`);
  const kubeconfig = join(cp.dir, 'kube-controller-manager.kubeconfig');
  writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: cp.adminToken, name: 'kcm' });
  const ca = join(cp.dir, 'kcm-ca.crt');
  writeFileSync(ca, cp.caPem);
  const log = join(cp.dir, 'kube-controller-manager.log');
  const fd = openSync(log, 'a');
  const dead = 'http://127.0.0.1:1';
  let child: ChildProcess;
  try {
    child = spawn(
      KUBE_CONTROLLER_MANAGER,
      [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${await freePort()}`,
        '--leader-elect=false',
        `--root-ca-file=${ca}`,
        `--service-account-private-key-file=${join(cp.dir, 'pki', 'sa.key')}`,
        '--controllers=*,-certificatesigningrequest-signing-controller,-node-ipam-controller,-service-lb-controller,-cloud-node-lifecycle-controller,-node-route-controller',
        '--v=1',
      ],
      { stdio: ['ignore', fd, fd], detached: true, env: { ...process.env, HTTPS_PROXY: dead, HTTP_PROXY: dead, https_proxy: dead, http_proxy: dead, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1', GOMAXPROCS: '2' } },
    );
  } finally {
    closeSync(fd);
  }
  const onExit = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', onExit);
  await new Promise((r) => setTimeout(r, 1500));
  if (child.exitCode !== null) throw new Error(`kube-controller-manager exited (${child.exitCode}):\n${logTail(log)}`);
  return {
    log,
    stop: async () => {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
