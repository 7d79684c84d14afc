import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaries } from '../paths';
import type { ControlPlane } from './control-plane';
import { freePort, logTail, startProgram } from '../process';
import { writeKubeconfig } from './kube-client';

/** kube-controller-manager of the catalog's Kubernetes version, as tools/node/build.sh builds it. */
export const KUBE_CONTROLLER_MANAGER = binaries.kubeControllerManager;

export interface ControllerManager {
  readonly log: string;
  stop(): Promise<void>;
}

/**
 * A real kube-controller-manager beside the harness's API server (loopback only), so that what a
 * cluster's controllers do after a delete happens: the garbage collector removes dependents (the
 * provider deletes with foreground propagation) and the namespace controller empties and removes
 * Namespaces. Without it a destroy waits forever for objects stuck Terminating. Nothing schedules or
 * runs Pods (no scheduler, no kubelet). Its HTTP(S) proxy is a dead loopback port, as for the harness.
 */
export interface ControllerManagerOptions {
  /** `--controllers`. @default - every controller but certificate signing, node IPAM, the service LB, cloud node lifecycle and node routes */
  readonly controllers?: readonly string[];
}

const DEFAULT_CONTROLLERS = ['*', '-certificatesigningrequest-signing-controller', '-node-ipam-controller', '-service-lb-controller', '-cloud-node-lifecycle-controller', '-node-route-controller'];

export async function startControllerManager(cp: ControlPlane, options: ControllerManagerOptions = {}): Promise<ControllerManager> {
  if (!existsSync(KUBE_CONTROLLER_MANAGER)) throw new Error(`${KUBE_CONTROLLER_MANAGER} is missing. Fix: run tools/node/build.sh`);
  const kubeconfig = join(cp.dir, 'kube-controller-manager.kubeconfig');
  writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: cp.adminToken, name: 'kcm' });
  const ca = join(cp.dir, 'kcm-ca.crt');
  writeFileSync(ca, cp.caPem);
  const log = join(cp.dir, 'kube-controller-manager.log');
  const dead = 'http://127.0.0.1:1';
  const secure = await freePort();
  const program = startProgram(
    KUBE_CONTROLLER_MANAGER,
    [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${secure}`,
      '--leader-elect=false',
      `--root-ca-file=${ca}`,
      `--service-account-private-key-file=${join(cp.dir, 'pki', 'sa.key')}`,
      `--controllers=${(options.controllers ?? DEFAULT_CONTROLLERS).join(',')}`,
      '--v=1',
    ],
    { logFile: log, env: { ...process.env, HTTPS_PROXY: dead, HTTP_PROXY: dead, https_proxy: dead, http_proxy: dead, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1', GOMAXPROCS: '2' } },
  );
  const child = program.process;
  await new Promise((r) => setTimeout(r, 1500));
  if (child.exitCode !== null) throw new Error(`kube-controller-manager exited (${child.exitCode}):\n${logTail(log)}`);
  return { log, stop: () => program.stop(5000) };
}
