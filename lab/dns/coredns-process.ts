import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaries } from '../paths';
import { startProgram } from '../process';
import { requireLoopback } from '../safe-address';

/** Our CoreDNS build (images/coredns/build.sh puts it there). */
export const COREDNS_BINARY = binaries.coredns;

export interface CoreDnsRun {
  readonly ip: string;
  readonly port: number;
  readonly corefile: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface StartCoreDnsOptions {
  /** The Corefile exactly as synthesized (from the ConfigMap). */
  readonly corefile: string;
  /** Other ConfigMap keys (zone files), written next to it. */
  readonly files?: Record<string, string>;
  /** Loopback address this process binds (its "pod IP" and, for LoadBalancers, its Service IP). */
  readonly ip: string;
  /** @default 53 (what the Service exposes) */
  readonly port?: number;
  /** Kubeconfig for the kubernetes / k8s_gateway plugins (out of cluster, under our ServiceAccount's token). */
  readonly kubeconfig?: string;
  /** @default 30_000 (how long to wait for /ready to answer 200) */
  readonly readyTimeoutMs?: number;
  /** Extra environment (the benchmarks set GOMAXPROCS). @default - the parent's environment only */
  readonly env?: Record<string, string>;
  /** CPUs to pin the process to (`taskset -c`, e.g. '1'). @default - not pinned */
  readonly cpus?: string;
}

/**
 * Turns a synthesized Corefile into one that runs as a local process, changing only what the
 * cluster provides: the Service's 53→1053 port mapping and pod IP (`bind`), the in-cluster API
 * credentials (`kubeconfig`), and the ConfigMap mount path. Every change must apply, or this throws.
 */
export function localCorefile(corefile: string, options: { ip: string; port: number; configDir: string; kubeconfig?: string }): string {
  const replace = (text: string, pattern: RegExp, by: string, what: string, required = true) => {
    if (required && !pattern.test(text)) throw new Error(`the Corefile has no ${what} to adapt:\n${text}`);
    return text.replace(pattern, by);
  };
  // A block that also listens on kubeadm's 53 (cluster DNS during a takeover) runs here on the Service's port alone.
  let out = corefile.replace(/^(\S+):1053 \1:53 \{\n/gm, '$1:1053 {\n');
  out = replace(out, /:1053 \{\n/g, `:${options.port} {\n    bind ${options.ip}\n`, 'server block on :1053');
  out = out.replace(/^(\s+)(health|ready|prometheus) :(\d+)/gm, `$1$2 ${options.ip}:$3`);
  out = out.replace(/\/etc\/coredns\//g, `${options.configDir}/`);
  if (/^\s+(kubernetes|k8s_gateway) /m.test(out)) {
    if (!options.kubeconfig) throw new Error('this Corefile talks to the Kubernetes API: pass a kubeconfig');
    out = out.replace(/^(\s+)(kubernetes|k8s_gateway) ([^\n]*)\{\n/gm, `$1$2 $3{\n$1    kubeconfig ${options.kubeconfig}\n`);
  }
  return out;
}

/** Starts our CoreDNS with a synthesized Corefile and waits (bounded) until /ready answers 200. */
export async function startCoreDns(options: StartCoreDnsOptions): Promise<CoreDnsRun> {
  if (!existsSync(COREDNS_BINARY)) throw new Error(`${COREDNS_BINARY} is missing; run images/coredns/build.sh (npm test builds it)`);
  requireLoopback(options.ip, 'CoreDNS of a test');
  const dir = mkdtempSync(join(tmpdir(), 'fleetnet-coredns-'));
  const port = options.port ?? 53;
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text);
  const corefile = localCorefile(options.corefile, { ip: options.ip, port, configDir: dir, kubeconfig: options.kubeconfig });
  writeFileSync(join(dir, 'Corefile'), corefile);
  const logFile = join(dir, 'coredns.log');
  const argv = [COREDNS_BINARY, '-conf', join(dir, 'Corefile')];
  // taskset execs CoreDNS in place, so the child's pid stays CoreDNS's.
  const [command, ...args] = options.cpus !== undefined ? ['taskset', '-c', options.cpus, ...argv] : argv;
  const program = startProgram(command, args, { logFile, cwd: dir, env: { ...process.env, ...options.env } });
  const child = program.process;
  const stop = async () => {
    await program.stop(3000);
    rmSync(dir, { recursive: true, force: true });
  };
  const readyUrl = /ready /.test(corefile) ? `http://${options.ip}:8181/ready` : undefined;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  for (let i = 0; i < readyTimeoutMs / 100 + 1 && Date.now() < deadline; i++) {
    if (child.exitCode !== null) break;
    if (!readyUrl) break;
    const ok = await fetch(readyUrl).then((r) => r.status === 200, () => false);
    if (ok) return { ip: options.ip, port, corefile, logFile, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!readyUrl && child.exitCode === null) return { ip: options.ip, port, corefile, logFile, stop };
  // Read before stop(): its SIGTERM would otherwise be reported as the exit code.
  const exitCode = child.exitCode;
  const what = exitCode === null ? `no 200 from ${readyUrl} within ${readyTimeoutMs / 1000} s; it was still running and has been stopped` : `it exited with code ${exitCode} before it was ready`;
  const logText = existsSync(logFile) ? foldedLog(readFileSync(logFile, 'utf8')) : '';
  await stop();
  throw new Error(`CoreDNS on ${options.ip}:${port}: ${what}. Corefile:\n${corefile}\nLog:\n${logText}`);
}

/**
 * The last lines of a CoreDNS log with the once-a-second polling noise folded ("Plugins not ready",
 * "waiting for Kubernetes API"), so the line that says why stays in view.
 */
function foldedLog(text: string, lines = 20): string {
  const out: string[] = [];
  let repeated = 0;
  for (const line of text.split('\n').filter((l) => l.trim() !== '' && !l.includes('plugin/ready'))) {
    if (out.length > 0 && out[out.length - 1] === line) repeated++;
    else {
      if (repeated > 0) out.push(`  (the line above ${repeated} more times)`);
      repeated = 0;
      out.push(line);
    }
  }
  if (repeated > 0) out.push(`  (the line above ${repeated} more times)`);
  return out.slice(-lines).join('\n');
}
