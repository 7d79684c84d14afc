import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ContainerSpec, PowerDnsManifests } from './powerdns-manifests';
import { GiveUp, logTail as tail, RunningProgram, startProgram, tcpOpen, waitFor } from '../process';
import { requireLoopback } from '../safe-address';

/**
 * Files of the official image and where Debian's packages (pdns-server, pdns-backend-sqlite3) keep the
 * same thing. Anything else absolute in the manifests must be under a volume mount, or the adaptation fails.
 */
const IMAGE_TO_DEBIAN: Record<string, string> = {
  '/usr/local/share/doc/pdns/schema.sqlite3.sql': '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql',
  '/usr/local/sbin/pdns_server': '/usr/sbin/pdns_server',
  '/bin/sh': '/bin/sh',
};

export interface LocalPowerDnsOptions {
  readonly manifests: PowerDnsManifests;
  /** The replica's own loopback address: its "pod IP" for DNS and, instead of 127.0.0.1, its API. */
  readonly ip: string;
  /** What the kubelet would read from the Secret the manifests reference. */
  readonly secrets: Record<string, Record<string, string>>;
}

/**
 * One PowerDNS "pod" run as local processes from the synthesized manifests: the init container's
 * script (from the ConfigMap) with its env, then pdns_server with its command, Debian's PowerDNS in
 * place of the image's. Changed only where the cluster provides something: volume mounts become
 * folders, the pod-local 127.0.0.1 becomes the replica's own loopback address.
 */
export class LocalPowerDns {
  readonly dir: string;
  readonly ip: string;
  readonly dnsPort: number;
  readonly apiPort: number;
  readonly pdnsConf: string;
  readonly logFile: string;
  private child?: RunningProgram;
  private readonly mounts: Map<string, string>;

  constructor(private readonly options: LocalPowerDnsOptions) {
    requireLoopback(options.ip, 'PowerDNS of a test');
    this.ip = options.ip;
    this.dir = mkdtempSync(join(tmpdir(), 'fleetnet-pdns-'));
    this.logFile = join(this.dir, 'pdns.log');
    const m = options.manifests;
    this.mounts = new Map();
    for (const c of [m.init, m.pdns]) {
      for (const mount of c.volumeMounts ?? []) {
        const local = join(this.dir, 'volumes', mount.name);
        mkdirSync(local, { recursive: true });
        this.mounts.set(mount.mountPath, local);
      }
    }
    for (const [volume, data] of [[m.configVolume, m.config], [m.zonesVolume, m.zones]] as const) {
      for (const [key, text] of Object.entries(data)) writeFileSync(join(this.dir, 'volumes', volume, key), text);
    }
    const { conf, dnsPort, apiPort } = this.adaptConf(m.config['pdns.conf']);
    this.pdnsConf = conf;
    this.dnsPort = dnsPort;
    this.apiPort = apiPort;
    writeFileSync(join(this.dir, 'volumes', m.configVolume, 'pdns.conf'), conf);
  }

  get apiUrl(): string {
    return `http://${this.ip}:${this.apiPort}`;
  }

  /** A path inside the pod, as a local path (a volume mount's folder, or Debian's copy of an image file). */
  localPath(podPath: string): string {
    if (IMAGE_TO_DEBIAN[podPath]) return IMAGE_TO_DEBIAN[podPath];
    const mount = [...this.mounts.keys()].sort((a, b) => b.length - a.length).find((p) => podPath === p || podPath.startsWith(`${p}/`));
    if (!mount) throw new Error(`${podPath} is neither under a volume mount nor a known image file; teach lab/dns/powerdns-process.ts where Debian keeps it`);
    return this.mounts.get(mount)! + podPath.slice(mount.length);
  }

  private adaptConf(conf: string): { conf: string; dnsPort: number; apiPort: number } {
    const lines = conf.split('\n');
    const value = (key: string) => {
      const found = lines.filter((l) => l.startsWith(`${key}=`));
      if (found.length !== 1) throw new Error(`pdns.conf must set ${key} exactly once:\n${conf}`);
      return found[0].slice(key.length + 1);
    };
    if (value('webserver-address') !== '127.0.0.1') throw new Error('the PowerDNS API must listen on 127.0.0.1 only');
    const dnsPort = Number(value('local-port'));
    const apiPort = Number(value('webserver-port'));
    value('local-address');
    const adapted = lines.map((line) => {
      const eq = line.indexOf('=');
      if (line.startsWith('#') || eq < 0) return line;
      const [key, v] = [line.slice(0, eq), line.slice(eq + 1)];
      if (key === 'local-address' || key === 'webserver-address') return `${key}=${this.ip}`;
      return v.startsWith('/') ? `${key}=${this.localPath(v)}` : line;
    });
    return { conf: adapted.join('\n'), dnsPort, apiPort };
  }

  /** The container's env as the kubelet would set it, paths mapped. */
  private env(container: ContainerSpec): Record<string, string> {
    const env: Record<string, string> = {};
    for (const e of container.env ?? []) {
      if (e.valueFrom?.secretKeyRef) {
        const { name, key } = e.valueFrom.secretKeyRef;
        const value = this.options.secrets[name]?.[key];
        if (value === undefined) throw new Error(`Secret ${name} key ${key} is not available (the pod would not start)`);
        env[e.name] = value;
      } else {
        env[e.name] = e.value?.startsWith('/') ? this.localPath(e.value) : (e.value ?? '');
      }
    }
    return env;
  }

  private command(container: ContainerSpec): string[] {
    const cmd = [...(container.command ?? []), ...(container.args ?? [])];
    // tini is the pod's PID 1 helper; locally the test is the parent that reaps.
    const start = cmd[0] === '/usr/bin/tini' ? cmd.indexOf('--') + 1 : 0;
    return cmd.slice(start).map((arg, i) => {
      if (i === 0 || arg.startsWith('/')) return this.localPath(arg);
      const flag = /^(--[a-z-]+=)(\/.*)$/.exec(arg);
      return flag ? flag[1] + this.localPath(flag[2]) : arg;
    });
  }

  /** Runs the init container (fresh database, every zone, the API key file); returns its time and output. */
  runInit(): { ms: number; output: string } {
    const [binary, ...args] = this.command(this.options.manifests.init);
    const started = Date.now();
    const run = spawnSync(binary, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...this.env(this.options.manifests.init) }, encoding: 'utf8', timeout: 60_000 });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) throw new Error(`init container load-zones failed (exit ${run.status ?? run.signal}):\n${output}`);
    return { ms: Date.now() - started, output };
  }

  /** Starts pdns_server as the manifest says and waits (bounded) for its DNS port and API. */
  async start(): Promise<number> {
    const [binary, ...args] = this.command(this.options.manifests.pdns);
    const started = Date.now();
    const child = startProgram(binary, args, { logFile: this.logFile, env: { ...process.env, ...this.env(this.options.manifests.pdns) } });
    this.child = child;
    const apiKey = this.apiKey();
    await waitFor(
      `PowerDNS on ${this.ip}`,
      async () => {
        if (!child.alive()) throw new GiveUp(`pdns_server exited (${child.process.exitCode ?? child.process.signalCode}):\n${tail(this.logFile)}`);
        if (!(await tcpOpen(this.ip, this.dnsPort))) return undefined;
        const res = await fetch(`${this.apiUrl}/api/v1/servers/localhost`, { headers: { 'X-API-Key': apiKey } }).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      { timeoutMs: 20_000, state: () => tail(this.logFile), intervalMs: 100 },
    );
    return Date.now() - started;
  }

  /** The API key as the init container wrote it for pdns_server. */
  apiKey(): string {
    const init = this.options.manifests.init.env?.find((e) => e.valueFrom?.secretKeyRef);
    const ref = init!.valueFrom!.secretKeyRef!;
    return this.options.secrets[ref.name][ref.key];
  }

  /** Kills pdns_server at once, as a crashed container. */
  async kill(): Promise<void> {
    await this.child?.stop(0);
  }

  /** Deletes the database files (what a new pod's empty emptyDir is). */
  deleteDatabase(): string[] {
    const db = this.pdnsConf.split('\n').find((l) => l.startsWith('gsqlite3-database='))!.split('=')[1];
    const folder = db.slice(0, db.lastIndexOf('/'));
    const removed = readdirSync(folder).filter((f) => f.startsWith(basename(db)));
    for (const f of removed) rmSync(join(folder, f));
    return removed;
  }

  /** Record names in the database for `name` (read with the sqlite3 CLI, PowerDNS not involved). */
  databaseRecords(name: string): string[] {
    const db = this.pdnsConf.split('\n').find((l) => l.startsWith('gsqlite3-database='))!.split('=')[1];
    const run = spawnSync('sqlite3', [db, `select type || ' ' || content from records where name = '${name.replace(/'/g, '')}' order by 1`], { encoding: 'utf8', timeout: 10_000 });
    if (run.status !== 0) throw new Error(`sqlite3 ${db}: ${run.stderr}`);
    return run.stdout.split('\n').filter((l) => l !== '');
  }

  async stop(): Promise<void> {
    await this.child?.stop(3000);
    if (!process.env.FLEETNET_KEEP_PDNS) rmSync(this.dir, { recursive: true, force: true });
  }
}
