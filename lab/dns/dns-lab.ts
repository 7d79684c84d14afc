/**
 * The DNS journey as real processes for the benchmarks, built from the e2e test's pieces: real control
 * planes (etcd + kube-apiserver) with the synthesized gateway stack applied, our CoreDNS build running
 * each synthesized Corefile (gateways under the gateway ServiceAccount's token), and the tier authority
 * built from a fleet of the first N workload clusters. Everything binds 127.0.0.0/8.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FanOutPlugin } from '../../constructs/coredns/fleet-fanout';
import { CoreDnsRun, startCoreDns } from './coredns-process';
import { sleep, startProgram, waitFor, waitForLog } from '../process';
import { configMapData, synthesized, writeStacks } from '../controlplane/rendered';
import { ControlPlane, startControlPlane } from '../controlplane/control-plane';
import { KubeClient, KubeObject, writeKubeconfig } from '../controlplane/kube-client';
import { machineBusySeconds } from '../cpu';
import { queryA } from './udp-query';
import { LoopbackBenchFleet, loopbackBenchFleet } from '../fleets/loopback-fleet';
import { requireLoopback } from '../safe-address';

export interface SimControlPlane {
  readonly cp: ControlPlane;
  readonly admin: KubeClient;
  /** Kubeconfig with the token of the gateway's ServiceAccount (as synthesized) on this control plane. */
  readonly gatewayKubeconfig: string;
}

/**
 * Waits (at most `maxMs`) until the machine has been below `busyCores` of CPU over one second: control
 * planes keep working for a while after /readyz, and a run started then measures them too.
 */
export async function settle(busyCores = 0.3, maxMs = 30_000): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < Math.ceil(maxMs / 1000) && Date.now() - started < maxMs; i++) {
    const before = machineBusySeconds();
    await sleep(1000);
    if (machineBusySeconds() - before < busyCores) break;
  }
  return Date.now() - started;
}

/**
 * A UDP socket bound on ip:port that never reads: what a dead but routed host looks like to fanout in
 * the worst case (no ICMP port unreachable, packets just vanish once its receive buffer is full). A
 * separate, idle python3 process, so swallowing costs the measured processes no CPU; it exits by
 * itself after `maxSeconds`.
 */
export async function blackHole(ip: string, port: number, maxSeconds = 600): Promise<{ close(): Promise<void> }> {
  requireLoopback(ip, 'black hole');
  const script = 'import socket,sys,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind((sys.argv[1],int(sys.argv[2])))\nprint("bound",flush=True)\ntime.sleep(float(sys.argv[3]))';
  const dir = mkdtempSync(join(tmpdir(), 'fleetnet-black-hole-'));
  const program = startProgram('python3', ['-c', script, ip, String(port), String(maxSeconds)], { logFile: join(dir, 'log') });
  try {
    await waitForLog(program, `black hole on ${ip}:${port}`, (log) => log.includes('bound'), 10_000);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    close: async () => {
      await program.stop(0);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface DnsLabOptions {
  /** Workload clusters, each with its own gateway process and IP. */
  readonly workloads: number;
  /**
   * Control planes the gateways are spread over (gateway i uses control plane i mod K). K = workloads
   * is the faithful fleet; fewer saves CPU and memory, and then gateways sharing one see the same Services.
   */
  readonly controlPlanes: number;
  /** Extra stacks of workload 0 to apply to its control plane (e.g. 'powerdns'). @default [] */
  readonly extraStacksOfFirst?: readonly string[];
  readonly powerdns?: boolean;
  /** Tier TTL (answers and the authority's positive cache). @default 30 */
  readonly ttl?: number;
  /**
   * GOMAXPROCS of every CoreDNS process the lab starts.
   * @default - Go's own (the CPUs it may run on)
   */
  readonly gomaxprocs?: number;
  /** CPUs the gateways are pinned to (`taskset -c`). @default - not pinned */
  readonly gatewayCpus?: string;
  /** CPUs the authority is pinned to (`taskset -c`). @default - not pinned */
  readonly authorityCpus?: string;
}

/** How the lab (re)starts the authority. */
export interface AuthorityOptions {
  /** Changes the Corefile for a side-by-side comparison (it must change something). @default - as synthesized */
  readonly edit?: (corefile: string) => string;
  /** The fan-out plugin, chosen through `TierAuthorityStack.with({ fanOut })`. @default - the synthesized default */
  readonly fanOut?: FanOutPlugin;
}

export class DnsLab {
  readonly work = mkdtempSync(join(tmpdir(), 'fleetnet-bench-dns-'));
  readonly bench: LoopbackBenchFleet;
  readonly controlPlanes: SimControlPlane[] = [];
  readonly gateways = new Map<number, CoreDnsRun>();
  authority?: CoreDnsRun;
  /** Workloads the running authority fans out to. */
  authorityFanout = 0;
  readonly timings: Record<string, number> = {};

  private constructor(readonly options: DnsLabOptions) {
    if (options.controlPlanes < 1 || options.controlPlanes > options.workloads) throw new Error(`1 to ${options.workloads} control planes, not ${options.controlPlanes}`);
    this.bench = loopbackBenchFleet(options.workloads, { powerdns: options.powerdns, ttl: options.ttl });
  }

  static async start(options: DnsLabOptions): Promise<DnsLab> {
    const lab = new DnsLab(options);
    try {
      await lab.startControlPlanes();
      for (let i = 0; i < options.workloads; i++) await lab.startGateway(i);
    } catch (e) {
      await lab.stop();
      throw e;
    }
    return lab;
  }

  get zone(): string {
    return this.bench.zone;
  }

  gatewayIp(i: number): string {
    return this.bench.workloads[i].dns.gatewayIP!;
  }

  get authorityIp(): string {
    return this.bench.mgmt.dns.authorityIP!;
  }

  controlPlaneOf(i: number): SimControlPlane {
    return this.controlPlanes[i % this.controlPlanes.length];
  }

  private async startControlPlanes(): Promise<void> {
    const t0 = Date.now();
    for (let k = 0; k < this.options.controlPlanes; k++) {
      const cp = await startControlPlane({ name: `bench-dns-${k}` });
      const admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
      // The first workload cluster on this control plane brings the synthesized gateway stack (its
      // ServiceAccount and RBAC); the others share it, the objects being the same but for data.
      const first = this.bench.workloads[k];
      const stacks = ['cluster-gateway', ...(k === 0 ? this.options.extraStacksOfFirst ?? [] : [])];
      await admin.applyDirectory(writeStacks(join(this.work, `cp${k}`), this.bench.fleet, first, stacks), { fieldManager: 'fleetnet-bench' });
      const token = await admin.createToken('dns-gateway', 'gateway', { expirationSeconds: 7200 });
      const gatewayKubeconfig = join(this.work, `cp${k}-gateway.kubeconfig`);
      writeKubeconfig(gatewayKubeconfig, { server: cp.url, caPem: cp.caPem, token });
      this.controlPlanes.push({ cp, admin, gatewayKubeconfig });
    }
    this.timings.controlPlanesStartMs = Date.now() - t0;
  }

  async startGateway(i: number): Promise<void> {
    if (this.gateways.has(i)) return;
    const cluster = this.bench.workloads[i];
    const { Corefile, ...files } = configMapData(synthesized(this.bench.fleet, cluster), 'cluster-gateway', 'gateway');
    this.gateways.set(i, await startCoreDns({ corefile: Corefile, files, ip: this.gatewayIp(i), kubeconfig: this.controlPlaneOf(i).gatewayKubeconfig, env: this.goEnv(), cpus: this.options.gatewayCpus }));
  }

  private goEnv(): Record<string, string> {
    return this.options.gomaxprocs !== undefined ? { GOMAXPROCS: String(this.options.gomaxprocs) } : {};
  }

  async stopGateway(i: number): Promise<void> {
    await this.gateways.get(i)?.stop();
    this.gateways.delete(i);
  }

  /** (Re)starts the tier authority as synthesized for a fleet of the first `n` workload clusters. */
  async startAuthority(n: number, o: AuthorityOptions = {}): Promise<CoreDnsRun> {
    await this.stopAuthority();
    const sub = loopbackBenchFleet(n, { powerdns: this.options.powerdns, ttl: this.options.ttl, fanOut: o.fanOut });
    const { Corefile, ...files } = configMapData(synthesized(sub.fleet, sub.mgmt), 'tier-authority', 'authority');
    if (sub.mgmt.dns.authorityIP !== this.authorityIp) throw new Error('the sub-fleet moved the authority');
    const corefile = o.edit ? o.edit(Corefile) : Corefile;
    if (o.edit && corefile === Corefile) throw new Error(`the edit changed nothing in:\n${Corefile}`);
    this.authority = await this.startOnAuthorityIp(corefile, files);
    this.authorityFanout = n;
    return this.authority;
  }

  /** Starts a Corefile on the authority's address, with the authority's GOMAXPROCS and pinning. */
  async startOnAuthorityIp(corefile: string, files: Record<string, string> = {}): Promise<CoreDnsRun> {
    return startCoreDns({ corefile, files, ip: this.authorityIp, env: this.goEnv(), cpus: this.options.authorityCpus });
  }

  async stopAuthority(): Promise<void> {
    await this.authority?.stop();
    this.authority = undefined;
    this.authorityFanout = 0;
  }

  /** A LoadBalancer Service in `cp` announcing `host` (k8s_gateway's annotation), given `ip` as MetalLB would. */
  async exposeService(admin: KubeClient, name: string, annotations: Record<string, string>, ip?: string, namespace = 'default'): Promise<void> {
    await admin.create({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name, namespace, annotations },
      spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    } as KubeObject);
    if (ip !== undefined) await setLoadBalancerIp(admin, name, ip, namespace);
  }

  /** Waits (bounded) until `server` answers `name` with `ip`. */
  async waitForAnswer(server: string, name: string, ip: string, timeoutMs = 20_000): Promise<number> {
    const begin = Date.now();
    await waitFor(`${name} = ${ip} at ${server}`, async () => (await queryA(server, 53, name, 500)).a.includes(ip), { timeoutMs, intervalMs: 100 });
    return Date.now() - begin;
  }

  async stop(): Promise<void> {
    await this.stopAuthority();
    for (const i of [...this.gateways.keys()]) await this.stopGateway(i);
    for (const c of this.controlPlanes) {
      c.admin.close();
      await c.cp.stop();
    }
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** Sets a Service's LoadBalancer address through the status subresource, as MetalLB does. */
export async function setLoadBalancerIp(admin: KubeClient, name: string, ip: string, namespace = 'default'): Promise<void> {
  await admin.expectOk('PATCH', `/api/v1/namespaces/${namespace}/services/${name}/status`, {
    body: { status: { loadBalancer: { ingress: [{ ip }] } } },
    contentType: 'application/merge-patch+json',
  });
}
