import type { EngineEvent } from '@pulumi/pulumi/automation';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeFileSync } from 'node:fs';
import { runBootstrap, type BootstrapRun, type Operation } from '../../bootstrap/automation';
import type { Fleet } from '../../fleet/fleet';
import { synthesizeFleet } from '../../synth/synthesize';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane';
import { KubeClient } from '../controlplane/kube-client';
import { startControllerManager, type ControllerManager } from '../controlplane/controller-manager';

/**
 * What the real-engine tests share: a real kube-apiserver with a real kube-controller-manager, a
 * private PULUMI_HOME (empty but for the provider installed from the local build), a file backend in
 * a temp folder, and a "proxy" on a loopback port that counts connections: the CLI and the provider
 * get it as HTTP(S)_PROXY, so any download they tried would connect there (and fail) instead of leaving
 * the machine. Loopback (the API server, the engine's gRPC) is never proxied.
 */
export interface EngineHarness {
  readonly cp: ControlPlane;
  readonly admin: KubeClient;
  readonly dir: string;
  readonly chartsOut: string;
  /** Contexts: `<cluster>` → the real API server; `elsewhere` → another server. */
  readonly kubeconfig: string;
  readonly pulumiHome: string;
  /** Connections the proxy saw so far. */
  proxyConnections(): number;
  /** Synthesizes `fleet` into chartsOut, as `npm run synth` does. */
  synth(fleet: Fleet): void;
  run(operation: Operation, fleet: Fleet, cluster: string, context?: string): Promise<BootstrapRun>;
  stop(): Promise<void>;
}

export async function startEngineHarness(name: string, cluster: string, serviceCidr: string): Promise<EngineHarness> {
  const dir = mkdtempSync(join(tmpdir(), `fleetnet-engine-${name}-`));
  const cp = await startControlPlane({ name, serviceClusterIpRange: serviceCidr });
  let kcm: ControllerManager | undefined;
  let proxy: Server | undefined;
  try {
    kcm = await startControllerManager(cp);
    let connections = 0;
    proxy = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', () => r()));
    const address = proxy.address();
    const proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const kubeconfig = join(dir, 'kubeconfig');
    const ca = Buffer.from(cp.caPem).toString('base64');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: cluster, cluster: { server: cp.url, 'certificate-authority-data': ca } },
          { name: 'elsewhere', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority-data': ca } },
        ],
        users: [{ name: 'admin', user: { token: cp.adminToken } }],
        contexts: [
          { name: cluster, context: { cluster, user: 'admin' } },
          { name: 'elsewhere', context: { cluster: 'elsewhere', user: 'admin' } },
        ],
      }),
      { mode: 0o600 },
    );
    const chartsOut = join(dir, 'charts-out');
    const pulumiHome = join(dir, 'pulumi-home');
    const admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    const env = { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, https_proxy: proxyUrl, http_proxy: proxyUrl, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', KUBECONFIG: kubeconfig };
    const stopAll = async () => {
      admin.close();
      await kcm?.stop();
      await cp.stop();
      await new Promise<void>((r) => proxy!.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    };
    return {
      cp,
      admin,
      dir,
      chartsOut,
      kubeconfig,
      pulumiHome,
      proxyConnections: () => connections,
      synth: (fleet) => void synthesizeFleet(fleet, { outdir: chartsOut }),
      run: (operation, fleet, stack, context = stack) =>
        runBootstrap({
          operation,
          program: { fleet, stack, chartsOut, kubeconfigContext: context, kubeconfig, awaitWorkloads: false },
          backendUrl: `file://${join(dir, 'state')}`,
          passphrase: 'fleetnet-test-only',
          pulumiHome,
          workDir: join(dir, 'workspace'),
          env,
          timeoutMs: 600_000,
        }),
      stop: stopAll,
    };
  } catch (e) {
    await kcm?.stop();
    await cp.stop();
    proxy?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** What PULUMI_HOME/plugins holds: only what was installed from the local build, if nothing was downloaded. */
export function installedPlugins(pulumiHome: string): string[] {
  // Beside each plugin folder the CLI keeps `<plugin>.lock` and `<plugin>.lastused` (bookkeeping, not plugins).
  return readdirSync(join(pulumiHome, 'plugins')).filter((f) => !/\.(lock|lastused|partial)$/.test(f)).sort();
}

/** Kubernetes object steps of a run, in engine order: `start` (resourcePreEvent) and `done` (resOutputsEvent). */
export interface Step {
  readonly kind: 'start' | 'done';
  readonly op: string;
  readonly key: string;
  readonly sequence: number;
}

export function objectSteps(events: readonly EngineEvent[]): Step[] {
  const steps: Step[] = [];
  for (const e of events) {
    const found = e.resourcePreEvent ? (['start', e.resourcePreEvent.metadata] as const) : e.resOutputsEvent ? (['done', e.resOutputsEvent.metadata] as const) : undefined;
    if (!found) continue;
    const [kind, m] = found;
    if (!m.type.startsWith('kubernetes:') || m.type.startsWith('pulumi:providers:')) continue;
    steps.push({ kind, op: m.op, key: `${m.type}::${m.urn.split('::').pop()}`, sequence: e.sequence });
  }
  return steps;
}
