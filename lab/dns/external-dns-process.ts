import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaries } from '../paths';
import type { ContainerSpec } from './powerdns-manifests';
import { GiveUp, logTail as tail, RunningProgram, startProgram, waitFor } from '../process';
import { requireLoopback } from '../safe-address';

/** tools/external-dns/build.sh builds it there from the catalog's Go module. */
export const EXTERNAL_DNS_BINARY = binaries.externalDns;

export interface LocalExternalDnsOptions {
  /** The sidecar as synthesized. */
  readonly container: ContainerSpec;
  /** The replica's loopback address (its "pod IP"). */
  readonly ip: string;
  /** Its PowerDNS API (the replica's address instead of the pod-local 127.0.0.1). */
  readonly pdnsApiUrl: string;
  /** Kubeconfig with the token of the ServiceAccount the manifests define (out of cluster). */
  readonly kubeconfig: string;
  readonly secrets: Record<string, Record<string, string>>;
}

/**
 * external-dns run with the synthesized sidecar's args and env. Changed only where the cluster
 * provides something: the in-cluster credentials (`--kubeconfig`), the pod-local API address, and
 * the metrics address bound to the replica's loopback address.
 */
export class LocalExternalDns {
  readonly args: string[];
  readonly logFile: string;
  readonly metricsUrl: string;
  private readonly dir: string;
  private child?: RunningProgram;

  constructor(private readonly options: LocalExternalDnsOptions) {
    if (!existsSync(EXTERNAL_DNS_BINARY)) throw new Error(`${EXTERNAL_DNS_BINARY} is missing; run tools/external-dns/build.sh (npm test builds it)`);
    requireLoopback(options.ip, 'external-dns of a test');
    this.dir = mkdtempSync(join(tmpdir(), 'fleetnet-external-dns-'));
    this.logFile = join(this.dir, 'external-dns.log');
    const args = [...(options.container.args ?? [])];
    const replace = (flag: string, check: (value: string) => boolean, by: string) => {
      const i = args.findIndex((a) => a.startsWith(`--${flag}=`));
      if (i < 0 || !check(args[i].slice(flag.length + 3))) throw new Error(`unexpected or missing --${flag} in the sidecar's args: ${args.join(' ')}`);
      args[i] = `--${flag}=${by}`;
      return args[i];
    };
    replace('pdns-server', (v) => /^http:\/\/127\.0\.0\.1:\d+$/.test(v), options.pdnsApiUrl);
    const metrics = replace('metrics-address', (v) => /^:\d+$/.test(v), `${options.ip}:${(options.container.args ?? []).find((a) => a.startsWith('--metrics-address=:'))!.split(':').pop()}`);
    this.metricsUrl = `http://${metrics.split('=')[1]}`;
    this.args = [...args, `--kubeconfig=${options.kubeconfig}`];
  }

  private env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const e of this.options.container.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      const value = ref ? this.options.secrets[ref.name]?.[ref.key] : e.value;
      if (value === undefined) throw new Error(`env ${e.name} of external-dns has no value (Secret missing?)`);
      env[e.name] = value;
    }
    return env;
  }

  /** Starts it and waits (bounded) until /healthz answers. */
  async start(): Promise<number> {
    const started = Date.now();
    const child = startProgram(EXTERNAL_DNS_BINARY, this.args, { logFile: this.logFile, env: { ...process.env, ...this.env() } });
    this.child = child;
    await waitFor(
      'external-dns /healthz',
      async () => {
        if (!child.alive()) throw new GiveUp(`external-dns exited (${child.process.exitCode ?? child.process.signalCode}):\n${tail(this.logFile)}`);
        const res = await fetch(`${this.metricsUrl}/healthz`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      { timeoutMs: 30_000, state: () => tail(this.logFile), intervalMs: 100 },
    );
    return Date.now() - started;
  }

  get running(): boolean {
    return this.child?.alive() ?? false;
  }

  /** Start of its last reconciliation and end of its last successful one (Unix s, from its metrics; 0 before any). */
  async syncTimes(): Promise<{ attempt: number; success: number }> {
    const res = await fetch(`${this.metricsUrl}/metrics`).catch(() => undefined);
    const text = res?.status === 200 ? await res.text() : '';
    const gauge = (name: string) => Number(new RegExp(`^external_dns_controller_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    return { attempt: gauge('last_reconcile_timestamp_seconds'), success: gauge('last_sync_timestamp_seconds') };
  }

  /**
   * Waits (bounded) for a reconciliation that began after `sinceMs` (epoch ms) and succeeded: one that
   * certainly saw the cluster and PowerDNS as they were at `sinceMs`. Returns when it ended (epoch ms).
   */
  async syncedSince(sinceMs: number, timeoutMs: number): Promise<number> {
    return waitFor(
      'an external-dns sync',
      async () => {
        const { attempt, success } = await this.syncTimes();
        return attempt * 1000 > sinceMs && success >= attempt ? success * 1000 : undefined;
      },
      { timeoutMs, state: () => tail(this.logFile) },
    );
  }

  log(lines = 40): string {
    return tail(this.logFile, lines);
  }

  async stop(): Promise<void> {
    await this.child?.stop(3000);
    if (!process.env.FLEETNET_KEEP_PDNS) rmSync(this.dir, { recursive: true, force: true });
  }
}
