/**
 * The real programs as the judge of a synthesized fleet: every object is server-side applied (dry
 * run) to a real kube-apiserver started with the cluster's own Service range, every Corefile is
 * started with our CoreDNS until /ready, and every zone is loaded and checked by `pdnsutil`. Content
 * already proven is not fed again (a hash cache), so many similar fleets cost little more than one.
 *
 * Nothing leaves 127.0.0.0/8: every forward/fanout upstream of a Corefile is pointed at a silent UDP
 * socket on loopback, except the cluster's own DNS address, which is pointed at the CoreDNS process
 * itself, as the Service would route it (so a forwarding loop is a real loop that the loop plugin sees).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket, Socket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Cluster } from '../../fleet/cluster';
import type { Fleet } from '../../fleet/fleet';
import { ipKey, parseIp } from '../../constructs/common/ip';
import { renderCluster, YamlCache } from '../../synth/render';
import { startCoreDns } from '../../lab/dns/coredns-process';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, KubeObject, writeKubeconfig } from '../../lab/controlplane/kube-client';

export type Program = 'render' | 'kube-apiserver' | 'coredns' | 'pdnsutil';

/** Something a real program refused. */
export interface Finding {
  readonly program: Program;
  readonly cluster: string;
  readonly what: string;
  readonly message: string;
}

interface Plane {
  readonly cp?: ControlPlane;
  readonly client?: KubeClient;
  /** Why it did not start (the API server refused the Service range). */
  readonly error?: string;
  readonly applied: Set<string>;
}

/** Stand-ins for what Argo CD installs: its namespace and CRDs that keep every field (names and metadata are still validated). */
const standInCrd = (kind: string, plural: string): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.argoproj.io` },
  spec: {
    group: 'argoproj.io',
    scope: 'Namespaced',
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});
const ARGOCD_STAND_INS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } },
  standInCrd('Application', 'applications'),
  standInCrd('AppProject', 'appprojects'),
];

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex');
const SINK_IP = '127.0.14.1';
const COREDNS_IPS = Array.from({ length: 200 }, (_, i) => `127.0.15.${i + 1}`);
const UPSTREAM_LINE = /^(\s+)(forward|fanout)[ \t]+(\S+)((?:[ \t]+[^\s{]+)+)([ \t]*\{)?[ \t]*$/;
const PDNS_SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';
const DEFAULT_RANGE = '10.96.0.0/16';
/** Control planes kept running besides the default one (each is an etcd and an API server). */
const MAX_EXTRA_PLANES = 2;

export interface OracleStats {
  objectsSeen: number;
  objectsApplied: number;
  corefilesSeen: number;
  corefilesStarted: number;
  zonesSeen: number;
  zonesLoaded: number;
  controlPlanes: number;
  /** Milliseconds spent in each part. */
  ms: { render: number; apiserver: number; coredns: number; pdnsutil: number };
}

export class Oracle {
  readonly stats: OracleStats = { objectsSeen: 0, objectsApplied: 0, corefilesSeen: 0, corefilesStarted: 0, zonesSeen: 0, zonesLoaded: 0, controlPlanes: 0, ms: { render: 0, apiserver: 0, coredns: 0, pdnsutil: 0 } };
  private readonly planes = new Map<string, Promise<Plane>>();
  private readonly proven = new Set<string>();
  private readonly sinks = new Map<string, { socket: Socket; port: number }>();
  private readonly work = mkdtempSync(join(tmpdir(), 'fleetnet-oracle-'));
  private kubeconfig?: string;
  private nextIp = 0;
  private templateDb?: string;
  private readonly yamlCache: YamlCache = new Map();
  private readonly stopping: Promise<void>[] = [];
  private readonly texts = new Map<string, KubeObject>();
  private readonly digests = new WeakMap<KubeObject, string>();

  /** A rendered file parsed back as Kubernetes tools read it (YAML 1.1), once per distinct text. */
  private parsed(text: string): KubeObject {
    let o = this.texts.get(text);
    if (!o) {
      o = parse(text, { version: '1.1' }) as KubeObject;
      this.texts.set(text, o);
      this.digests.set(o, hash(text));
    }
    return o;
  }

  private digest(o: KubeObject): string {
    let d = this.digests.get(o);
    if (!d) this.digests.set(o, (d = hash(JSON.stringify(o))));
    return d;
  }

  /** Everything the real programs refuse in the synthesized fleet (every cluster). */
  async check(fleet: Fleet): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const c of fleet.clusters) findings.push(...(await this.checkCluster(fleet, c)));
    return findings;
  }

  async checkCluster(fleet: Fleet, cluster: Cluster): Promise<Finding[]> {
    let stacks: { name: string; objects: KubeObject[] }[];
    const t0 = Date.now();
    try {
      stacks = renderCluster(fleet, cluster, this.yamlCache).stacks.map((s) => ({ name: s.name, objects: [...s.files.values()].map((t) => this.parsed(t)) }));
    } catch (e) {
      return [{ program: 'render', cluster: cluster.name, what: 'synthesis', message: (e as Error).message }];
    } finally {
      this.stats.ms.render += Date.now() - t0;
    }
    const findings: Finding[] = [];
    // Argo CD's own objects (Applications, AppProject) are checked for what the API server checks of
    // any custom resource (names, labels, annotations) under permissive stand-in CRDs; their schema is
    // Argo CD's (test/manifests/argocd.unit.test.ts).
    const objects = [...ARGOCD_STAND_INS, ...stacks.flatMap((s) => s.objects)];
    const t1 = Date.now();
    findings.push(...(await this.checkObjects(cluster, objects)));
    this.stats.ms.apiserver += Date.now() - t1;
    for (const s of stacks) {
      for (const cm of s.objects.filter((o) => o.kind === 'ConfigMap')) {
        const data = (cm.data ?? {}) as Record<string, string>;
        if (data.Corefile !== undefined) {
          const { Corefile: corefile, ...files } = data;
          const t2 = Date.now();
          const f = await this.checkCorefile(cluster, `${s.name}/${cm.metadata.name}`, corefile, files);
          this.stats.ms.coredns += Date.now() - t2;
          if (f) findings.push(f);
        }
        if (s.name === 'powerdns') {
          for (const [key, text] of Object.entries(data).filter(([k]) => k.endsWith('.zone'))) {
            const t3 = Date.now();
            const f = this.checkZone(cluster, key.slice(0, -'.zone'.length), text);
            this.stats.ms.pdnsutil += Date.now() - t3;
            if (f) findings.push(f);
          }
        }
      }
    }
    return findings;
  }

  // ---- kube-apiserver ----

  private async plane(range: string): Promise<Plane> {
    let plane = this.planes.get(range);
    if (!plane) {
      plane = (async () => {
        this.stats.controlPlanes++;
        try {
          const cp = await startControlPlane({ name: `oracle-${this.stats.controlPlanes}`, serviceClusterIpRange: range, startTimeoutMs: 90_000 });
          return { cp, client: new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken }), applied: new Set<string>() };
        } catch (e) {
          return { error: (e as Error).message.split('\n').slice(0, 12).join('\n'), applied: new Set<string>() };
        }
      })();
      this.planes.set(range, plane);
      await this.evictPlanes(range);
    }
    return plane;
  }

  private async evictPlanes(keep: string): Promise<void> {
    const extra = [...this.planes.keys()].filter((r) => r !== DEFAULT_RANGE && r !== keep);
    while (extra.length > MAX_EXTRA_PLANES - 1) {
      const range = extra.shift()!;
      const plane = await this.planes.get(range)!;
      this.planes.delete(range);
      plane.client?.close();
      await plane.cp?.stop();
    }
  }

  private async checkObjects(cluster: Cluster, objects: KubeObject[]): Promise<Finding[]> {
    const findings: Finding[] = [];
    const range = cluster.podNetwork.serviceCidr;
    const isService = (o: KubeObject) => o.kind === 'Service' && (o.spec as { clusterIP?: string })?.clusterIP !== undefined;
    // A Service with a fixed clusterIP is judged by an API server with the cluster's own Service range; the rest by the default one.
    const key = (o: KubeObject) => hash(isService(o) ? range : '', this.digest(o));
    const todo = objects.filter((o) => {
      this.stats.objectsSeen++;
      return !this.proven.has(key(o));
    });
    if (todo.length === 0) return findings;
    const groups: [string, KubeObject[]][] = [[DEFAULT_RANGE, todo.filter((o) => !isService(o))], [range, todo.filter(isService)]];
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    for (const [planeRange, list] of groups) {
      if (list.length === 0) continue;
      const plane = await this.plane(planeRange);
      if (!plane.client) {
        findings.push({ program: 'kube-apiserver', cluster: cluster.name, what: `--service-cluster-ip-range=${planeRange}`, message: plane.error ?? 'did not start' });
        continue;
      }
      // Namespaces and CRDs are stored for real (dry-run objects in a missing namespace or of an unknown kind are refused).
      const needed = [...namespaces, ...(planeRange === DEFAULT_RANGE ? crds : [])].filter((o) => !plane.applied.has(this.digest(o)));
      for (const o of needed) {
        const [r] = await plane.client.serverSideApply([o], { fieldManager: 'fleetnet-oracle' });
        if (!r.ok) findings.push({ program: 'kube-apiserver', cluster: cluster.name, what: `${o.kind} ${o.metadata.name}`, message: r.message ?? 'rejected' });
        else plane.applied.add(this.digest(o));
      }
      const newCrds = needed.filter((o) => o.kind === 'CustomResourceDefinition' && plane.applied.has(this.digest(o)));
      if (newCrds.length > 0) await plane.client.waitForCrdsEstablished(newCrds.map((o) => o.metadata.name!), { timeoutMs: 60_000 });
      if (newCrds.length > 0) await plane.client.refreshDiscovery();
      for (const o of list) {
        if (o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition') {
          if (plane.applied.has(this.digest(o))) this.proven.add(key(o));
          continue;
        }
        this.stats.objectsApplied++;
        // A dry run does not check a fixed clusterIP against the addresses already held (the
        // `kubernetes` Service's), so such a Service is created for real, then deleted again.
        const real = isService(o);
        const [r] = await plane.client.serverSideApply([o], { fieldManager: 'fleetnet-oracle', dryRun: !real });
        if (real && r.ok) await plane.client.delete(o.apiVersion, o.kind, o.metadata.name!, o.metadata.namespace);
        if (r.ok) this.proven.add(key(o));
        else findings.push({ program: 'kube-apiserver', cluster: cluster.name, what: `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`, message: `${r.status} ${r.message ?? ''}` });
      }
    }
    return findings;
  }

  // ---- CoreDNS ----

  private async sinkFor(upstream: string): Promise<string> {
    let sink = this.sinks.get(upstream);
    if (!sink) {
      const socket = createSocket('udp4');
      const port = await new Promise<number>((ok, fail) => {
        socket.once('error', fail);
        socket.bind(0, SINK_IP, () => ok(socket.address().port));
      });
      socket.on('message', () => undefined);
      sink = { socket, port };
      this.sinks.set(upstream, sink);
    }
    return `${SINK_IP}:${sink.port}`;
  }

  private async kubeconfigFile(): Promise<string> {
    if (!this.kubeconfig) {
      const plane = await this.plane(DEFAULT_RANGE);
      if (!plane.cp) throw new Error(`the default control plane did not start: ${plane.error}`);
      this.kubeconfig = join(this.work, 'admin.kubeconfig');
      writeKubeconfig(this.kubeconfig, { server: plane.cp.url, caPem: plane.cp.caPem, token: plane.cp.adminToken });
    }
    return this.kubeconfig;
  }

  private async checkCorefile(cluster: Cluster, what: string, corefile: string, files: Record<string, string>): Promise<Finding | undefined> {
    this.stats.corefilesSeen++;
    // The cluster DNS's own Service address routes to the cluster DNS itself; everything else to a silent sink.
    const self = (token: string) => {
      const host = parseIp(token) ? token : token.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      return ipKey(host) !== undefined && ipKey(host) === ipKey(cluster.dns.serviceIP) && what.startsWith('cluster-dns/');
    };
    const upstreams = corefile.split('\n').flatMap((line) => UPSTREAM_LINE.exec(line)?.[4].trim().split(/[ \t]+/) ?? []);
    const selfTokens = upstreams.filter(self);
    const key = hash(corefile, JSON.stringify(files), selfTokens.join(','));
    if (this.proven.has(key)) return undefined;
    const ip = COREDNS_IPS[this.nextIp++ % COREDNS_IPS.length];
    const port = 10_053;
    const mapping = new Map<string, string>();
    for (const u of upstreams) mapping.set(u, self(u) ? `${ip}:${port}` : await this.sinkFor(u));
    const local = corefile.split('\n').map((line) => {
      const m = UPSTREAM_LINE.exec(line);
      if (!m) return line;
      return `${m[1]}${m[2]} ${m[3]} ${m[4].trim().split(/[ \t]+/).map((u) => mapping.get(u)!).join(' ')}${m[5] ? ' {' : ''}`;
    }).join('\n');
    const kubeconfig = /^\s+(kubernetes|k8s_gateway)\s/m.test(corefile) ? await this.kubeconfigFile() : undefined;
    this.stats.corefilesStarted++;
    try {
      const run = await startCoreDns({ corefile: local, files, ip, port, kubeconfig, readyTimeoutMs: 20_000 });
      // Only an upstream routed back to the process itself can loop (the others are silent sinks). The
      // loop plugin probes once the server is up, retrying each second while the probe fails: give it
      // time, then CoreDNS must still be ready.
      if (selfTokens.length > 0) await new Promise((r) => setTimeout(r, 3_500));
      const still = await fetch(`http://${ip}:8181/ready`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.status === 200, () => false);
      const log = still ? '' : await import('node:fs').then((fs) => fs.readFileSync(run.logFile, 'utf8').split('\n').slice(-8).join('\n'));
      // CoreDNS drains for its lameduck time after SIGTERM; let it, without waiting here.
      this.stopping.push(run.stop());
      if (!still) return { program: 'coredns', cluster: cluster.name, what, message: `stopped being ready after start:\n${log}` };
      this.proven.add(key);
      return undefined;
    } catch (e) {
      return { program: 'coredns', cluster: cluster.name, what, message: (e as Error).message.split('Log:\n').pop()!.trim() };
    }
  }

  // ---- PowerDNS ----

  private checkZone(cluster: Cluster, zone: string, text: string): Finding | undefined {
    this.stats.zonesSeen++;
    const key = hash('zone', zone, text);
    if (this.proven.has(key)) return undefined;
    this.stats.zonesLoaded++;
    if (!this.templateDb) {
      this.templateDb = join(this.work, 'template.sqlite3');
      const made = spawnSync('sh', ['-c', `sqlite3 "${this.templateDb}" < "${PDNS_SCHEMA}"`], { encoding: 'utf8', timeout: 30_000 });
      if (made.status !== 0) throw new Error(`could not create the PowerDNS schema: ${made.stderr}`);
    }
    const dir = join(this.work, `pdns-${this.stats.zonesLoaded}`);
    mkdirSync(dir, { recursive: true });
    const db = join(dir, 'pdns.sqlite3');
    copyFileSync(this.templateDb, db);
    writeFileSync(join(dir, 'pdns.conf'), `launch=gsqlite3\ngsqlite3-database=${db}\n`);
    writeFileSync(join(dir, 'zone'), text);
    try {
      for (const args of [['load-zone', zone, join(dir, 'zone')], ['check-zone', zone]]) {
        const run = spawnSync('pdnsutil', [`--config-dir=${dir}`, ...args], { encoding: 'utf8', timeout: 30_000 });
        if (run.status !== 0) return { program: 'pdnsutil', cluster: cluster.name, what: `${args[0]} ${zone}`, message: `${run.stdout}${run.stderr}`.trim().split('\n').slice(-6).join('\n') };
      }
      this.proven.add(key);
      return undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.stopping);
    for (const plane of this.planes.values()) {
      const p = await plane;
      p.client?.close();
      await p.cp?.stop();
    }
    this.planes.clear();
    for (const s of this.sinks.values()) s.socket.close();
    rmSync(this.work, { recursive: true, force: true });
  }
}
