import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaries } from '../paths';
import type { KubeClient, KubeObject } from '../controlplane/kube-client';
import { RunningProgram, startProgram, waitFor } from '../process';

/** Where tools/metallb/build.sh puts the controller built from the catalog's Go module. */
export const METALLB_CONTROLLER_BINARY = binaries.metallbController;

type Container = { name: string; args?: string[]; env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] };

/**
 * The controller's command line and environment exactly as the synthesized Deployment gives them, with
 * the downward-API fields resolved for `pod` and the given flags replaced (ports, certificate folder:
 * what a pod gets from its own network namespace and volume).
 */
export function commandFromDeployment(deployment: KubeObject, pod: { name: string; namespace: string }, overrides: Record<string, string>): { args: string[]; env: Record<string, string> } {
  const container = (deployment.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0];
  const args = (container.args ?? []).map((a) => {
    const flag = a.split('=')[0];
    return flag in overrides ? `${flag}=${overrides[flag]}` : a;
  });
  for (const [flag, value] of Object.entries(overrides)) if (!args.some((a) => a.startsWith(`${flag}=`))) args.push(`${flag}=${value}`);
  const fields: Record<string, string> = { 'metadata.name': pod.name, 'metadata.namespace': pod.namespace };
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const path = e.valueFrom?.fieldRef?.fieldPath;
    if (path !== undefined && !(path in fields)) throw new Error(`env ${e.name}: the test cannot resolve fieldRef ${path}`);
    env[e.name] = path !== undefined ? fields[path] : (e.value ?? '');
  }
  return { args, env };
}

/**
 * Starts a MetalLB program (or `ip netns exec` of one) in its own process group with output to
 * `logFile` and only the environment given (plus PATH and GOMAXPROCS=2); always stop() it (afterAll).
 */
export function startMetalLbProgram(binary: string, args: readonly string[], env: Record<string, string>, logFile: string): RunningProgram {
  return startProgram(binary, args, {
    logFile,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GOMAXPROCS: '2', ...env },
    buildHint: "run tools/metallb/build.sh to build the MetalLB controller from the catalog's Go module",
  });
}

/**
 * Waits until a started controller serves as it would in a pod: it has written its webhook
 * certificate into the Secret we render empty (which the test then projects into `certDir`, as the
 * kubelet's secret volume would) and reports its configuration valid.
 */
export async function waitForControllerConfigured(
  admin: KubeClient, controller: RunningProgram, options: { namespace: string; certDir: string; state: () => string },
): Promise<void> {
  const { namespace, certDir, state } = options;
  const cert = await waitFor('the controller to write its certificate into Secret metallb-webhook-cert', async () => {
    if (!controller.alive()) throw new Error('the controller exited');
    const d = (await admin.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', 'metallb-webhook-cert', namespace))?.data;
    return d?.['tls.crt'] ? d : undefined;
  }, { timeoutMs: 30_000, state });
  for (const [key, value] of Object.entries(cert)) writeFileSync(join(certDir, key), Buffer.from(value, 'base64'));
  await waitFor('the controller to report its configuration (ConfigurationState "controller")', async () =>
    (await admin.get<KubeObject & { status?: { result?: string } }>('metallb.io/v1beta1', 'ConfigurationState', 'controller', namespace))?.status?.result === 'Valid' ? true : undefined,
  { timeoutMs: 30_000, state });
}
