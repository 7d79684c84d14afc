import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabSlot } from './address-map';
import { BRIDGE, hostNames } from './paths';
import { sleep, startProgram } from './process';
import { alive, kill, namespaceOf, processesIn, run, tryRun } from './system';

/**
 * The "machine" one lab cluster runs on: a network namespace on the lab bridge (eth0 = the node
 * address, no default route), a mount namespace in which /etc and /var are overlays whose writes land
 * in the cluster's state folder (the CNI configuration the cluster's own installer writes to
 * /etc/cni/net.d, host-local's leases in /var/lib/cni, pod logs), and a cgroup tree of its own in every
 * cgroup v1 hierarchy (kubelet's cgroupRoot). Every daemon of the cluster is started inside both
 * namespaces; teardown kills every process found in them or in the cgroup tree, so nothing survives.
 */

const CGROUP_FS = '/sys/fs/cgroup';

export interface NodeSandbox {
  readonly netns: string;
  /** PID of the process that holds the mount namespace. */
  readonly holderPid: number;
  readonly mountNs: string;
  readonly cgroupRoot: string;
}

/** The cgroup hierarchies of this host (v1 controllers, plus the unified one on hybrid hosts). */
export function cgroupHierarchies(): string[] {
  if (existsSync(join(CGROUP_FS, 'cgroup.controllers'))) return [CGROUP_FS];
  return readdirSync(CGROUP_FS).map((d) => join(CGROUP_FS, d)).filter((d) => existsSync(join(d, 'cgroup.procs')));
}

export function isCgroupV1(): boolean {
  return !existsSync(join(CGROUP_FS, 'cgroup.controllers'));
}

/**
 * @param files extra files to write inside the sandbox's overlays before anything starts, e.g. the lab's
 * CNI configuration for a cluster without a pod network of its own (absolute path -> content).
 */
export async function createNodeSandbox(slot: LabSlot, dir: string, log: (line: string) => void, files: Record<string, string> = {}): Promise<NodeSandbox> {
  const names = hostNames(slot.cluster, slot.slot);
  // Network: netns with eth0 on the bridge; forwarding on inside it (kube-proxy, pods), nothing off the bridge.
  run(['ip', 'netns', 'add', names.netns]);
  run(['ip', 'link', 'add', names.hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', names.netns]);
  run(['ip', 'link', 'set', names.hostVeth, 'master', BRIDGE, 'up']);
  const ns = (argv: string[]) => run(['ip', 'netns', 'exec', names.netns, ...argv]);
  ns(['ip', 'link', 'set', 'lo', 'up']);
  ns(['ip', 'addr', 'add', `${slot.nodeIP}/16`, 'dev', 'eth0']);
  ns(['ip', 'link', 'set', 'eth0', 'up']);
  ns(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
  // A route for the Service range, so that the node's own processes (hostNetwork Pods, the API server
  // calling webhooks) get past the route lookup to kube-proxy's DNAT; with no default route they would
  // get "network is unreachable" for every ClusterIP.
  ns(['ip', 'route', 'add', slot.serviceCidr, 'dev', 'eth0', 'src', slot.nodeIP]);
  log(`node: netns ${names.netns}, eth0 ${slot.nodeIP}/16 on ${BRIDGE} (host end ${names.hostVeth}), no default route`);

  // Mount namespace with /etc and /var as overlays onto the state folder.
  const mounts: string[] = [];
  for (const target of ['/etc', '/var']) {
    const base = join(dir, 'overlay', target.slice(1));
    mkdirSync(join(base, 'upper'), { recursive: true });
    mkdirSync(join(base, 'work'), { recursive: true });
    mounts.push(`mount -t overlay fleetnet-lab -o lowerdir=${target},upperdir=${base}/upper,workdir=${base}/work ${target}`);
  }
  const ready = join(dir, 'sandbox.ready');
  const copies = Object.entries(files).map(([target, content], i) => {
    const source = join(dir, `sandbox-file-${i}`);
    writeFileSync(source, content);
    return `mkdir -p "$(dirname ${target})" && cp ${source} ${target}`;
  });
  const script = `set -e\n${mounts.join('\n')}\nmkdir -p /etc/cni/net.d /var/lib/cni\n${copies.join('\n')}\necho ok > ${ready}\nexec sleep infinity\n`;
  // nsenter, not `ip netns exec`: that one remounts /sys, which would hide the cgroup hierarchies.
  const holder = startProgram('nsenter', [`--net=/run/netns/${names.netns}`, '--', 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', script], {
    logFile: join(dir, 'logs', 'sandbox.log'),
    outlive: true,
  });
  for (let i = 0; i < 100 && !existsSync(ready); i++) await sleep(50);
  if (!existsSync(ready)) throw new Error(`lab: the node sandbox of ${slot.cluster} did not start; see ${join(dir, 'logs', 'sandbox.log')}`);
  const mountNs = namespaceOf(holder.pid, 'mnt')!;
  log(`node: mount namespace (overlays on /etc and /var into ${join(dir, 'overlay')})`);

  // cgroups: one tree per hierarchy; cpuset needs its CPUs and memory nodes before a task can join.
  const cgroupRoot = `/${names.cgroup}`;
  for (const h of cgroupHierarchies()) {
    const d = join(h, names.cgroup);
    mkdirSync(d, { recursive: true });
    if (h.endsWith('/cpuset')) {
      for (const f of ['cpuset.cpus', 'cpuset.mems']) writeFileSync(join(d, f), readFileSync(join(h, f), 'utf8'));
    }
  }
  log(`node: cgroup ${cgroupRoot} in ${cgroupHierarchies().length} hierarchies${isCgroupV1() ? ' (cgroup v1 host)' : ''}`);
  const sandbox = { netns: names.netns, holderPid: holder.pid, mountNs, cgroupRoot };
  writeFileSync(join(dir, 'sandbox.json'), `${JSON.stringify(sandbox, null, 2)}\n`);
  return sandbox;
}

/** Starts a program inside the sandbox's namespaces, detached, its output appended to `logFile`. */
export function spawnInSandbox(sb: NodeSandbox, argv: readonly string[], logFile: string, env: NodeJS.ProcessEnv): number {
  return startProgram('nsenter', [`--net=/run/netns/${sb.netns}`, `--mount=/proc/${sb.holderPid}/ns/mnt`, '--', ...argv], { logFile, env, outlive: true }).pid;
}

function cgroupProcs(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const out: number[] = [];
  const walk = (d: string) => {
    try {
      out.push(...readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    } catch {
      /* removed meanwhile */
    }
  };
  walk(dir);
  return out;
}

function rmCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rmCgroupTree(join(dir, e.name));
  try {
    rmdirSync(dir);
  } catch {
    /* still busy; reported by the caller */
  }
}

/**
 * Kills everything of the cluster's node and removes its namespaces and cgroups. Works from the names
 * alone (plus sandbox.json when present), so it also cleans up after a crash. Returns what is left.
 */
export async function destroyNodeSandbox(slot: LabSlot, dir: string, log: (line: string) => void): Promise<string[]> {
  const names = hostNames(slot.cluster, slot.slot);
  const file = join(dir, 'sandbox.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as NodeSandbox) : undefined;
  const netNs = existsSync(`/run/netns/${names.netns}`) ? tryNetnsInode(names.netns) : undefined;
  const cgroupDirs = cgroupHierarchies().map((h) => join(h, names.cgroup));
  const victims = () => {
    const set = new Set<number>();
    if (saved) for (const p of processesIn('mnt', saved.mountNs)) set.add(p);
    if (saved && alive(saved.holderPid) && namespaceOf(saved.holderPid, 'mnt') === saved.mountNs) set.add(saved.holderPid);
    if (netNs) for (const p of processesIn('net', netNs)) set.add(p);
    for (const d of cgroupDirs) for (const p of cgroupProcs(d)) set.add(p);
    set.delete(process.pid);
    return [...set];
  };
  let killed = 0;
  for (let round = 0; round < 50; round++) {
    const left = victims();
    if (left.length === 0) break;
    // Politely first (kubelet, containerd and etcd flush), then for sure.
    for (const p of left) kill(p, round < 10 ? 'SIGTERM' : 'SIGKILL');
    killed = Math.max(killed, left.length);
    await sleep(200);
  }
  const remaining = victims();
  if (killed) log(`node: stopped ${killed} processes of ${slot.cluster}`);
  tryRun(['ip', 'netns', 'del', names.netns]);
  tryRun(['ip', 'link', 'del', names.hostVeth]);
  for (const d of cgroupDirs) rmCgroupTree(d);
  const problems: string[] = [];
  if (remaining.length) problems.push(`processes still running: ${remaining.join(' ')}`);
  for (const d of cgroupDirs) if (existsSync(d)) problems.push(`cgroup ${d} could not be removed`);
  if (existsSync(`/run/netns/${names.netns}`)) problems.push(`netns ${names.netns} could not be removed`);
  return problems;
}

function tryNetnsInode(netns: string): string | undefined {
  // A process started in the namespace tells its inode; `ip netns identify` goes the other way only.
  try {
    return run(['nsenter', `--net=/run/netns/${netns}`, '--', 'readlink', '/proc/self/ns/net']).trim() || undefined;
  } catch {
    return undefined;
  }
}
