import { sleep, startProgram } from './process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_BRIDGE_CIDR, LAB_HOST_IP, LAB_RANGE, LabSlot } from './address-map';
import { binaries, BRIDGE, hostNames, stateRoot } from './paths';
import { alive, kill, readSysctl, run, tryRun } from './system';

/**
 * What the lab changes on the host itself (the root network namespace), shared by every lab cluster:
 * the bridge, the stub resolver, the iptables chains that keep packets on the bridge, the unreachable
 * route for the rest of the lab range, and the host-wide sysctls kubelet rewrites (saved before the
 * first cluster starts, written back when the last one is gone).
 */

/** Host-wide (not per network namespace) sysctls a node's programs may rewrite. */
export const HOST_SYSCTLS = [
  'vm.overcommit_memory',
  'vm.panic_on_oom',
  'kernel.panic',
  'kernel.panic_on_oops',
  'kernel.keys.root_maxkeys',
  'kernel.keys.root_maxbytes',
  'net.netfilter.nf_conntrack_max',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
];

const CHAIN_FORWARD = 'FLEETNET-LAB-FWD';
const CHAIN_OUTPUT = 'FLEETNET-LAB-OUT';

interface HostState {
  readonly sysctls: Record<string, string>;
  stubPid?: number;
}

const hostStateFile = () => join(stateRoot(), 'host.json');

function readHostState(): HostState | undefined {
  const file = hostStateFile();
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HostState) : undefined;
}

function writeHostState(state: HostState): void {
  mkdirSync(stateRoot(), { recursive: true });
  writeFileSync(hostStateFile(), `${JSON.stringify(state, null, 2)}\n`);
}

/** Creates the shared part (idempotent). Saves the sysctls first, so `down` can put them back. */
export async function ensureHostNetwork(stubResolvers: readonly string[], log: (line: string) => void): Promise<void> {
  let state = readHostState();
  if (!state) {
    const sysctls: Record<string, string> = {};
    for (const key of HOST_SYSCTLS) {
      const value = readSysctl(key);
      if (value !== undefined) sysctls[key] = value;
    }
    state = { sysctls };
    writeHostState(state);
  }
  if (!tryRun(['ip', 'link', 'show', BRIDGE])) {
    log(`host: bridge ${BRIDGE} ${LAB_HOST_IP}/16, stub resolver ${stubResolvers.join(', ')}`);
    run(['ip', 'link', 'add', BRIDGE, 'type', 'bridge']);
    run(['ip', 'addr', 'add', `${LAB_HOST_IP}/16`, 'dev', BRIDGE]);
    for (const ip of stubResolvers) run(['ip', 'addr', 'add', `${ip}/32`, 'dev', BRIDGE]);
    run(['ip', 'link', 'set', BRIDGE, 'up']);
  }
  // Anything for the lab range that is not on the bridge or routed to a node goes nowhere.
  if (!run(['ip', 'route', 'show', 'type', 'unreachable', LAB_RANGE]).trim()) run(['ip', 'route', 'add', 'unreachable', LAB_RANGE]);
  // Nothing crosses between the bridge and another interface, and the lab range never leaves by another one.
  if (!tryRun(['iptables', '-w', '-S', CHAIN_FORWARD])) {
    log(`host: iptables ${CHAIN_FORWARD} (drop between ${BRIDGE} and other interfaces), ${CHAIN_OUTPUT}`);
    run(['iptables', '-w', '-N', CHAIN_FORWARD]);
    run(['iptables', '-w', '-A', CHAIN_FORWARD, '-i', BRIDGE, '!', '-o', BRIDGE, '-j', 'DROP']);
    run(['iptables', '-w', '-A', CHAIN_FORWARD, '!', '-i', BRIDGE, '-o', BRIDGE, '-j', 'DROP']);
    run(['iptables', '-w', '-I', 'FORWARD', '1', '-j', CHAIN_FORWARD]);
    run(['iptables', '-w', '-N', CHAIN_OUTPUT]);
    // (Addresses of the host itself, the stub resolver's, go out on lo.)
    run(['iptables', '-w', '-A', CHAIN_OUTPUT, '-o', 'lo', '-j', 'RETURN']);
    run(['iptables', '-w', '-A', CHAIN_OUTPUT, '-d', LAB_RANGE, '!', '-o', BRIDGE, '-j', 'DROP']);
    run(['iptables', '-w', '-I', 'OUTPUT', '1', '-j', CHAIN_OUTPUT]);
  }
  if (!(state.stubPid && alive(state.stubPid))) {
    state.stubPid = startStubResolver(stubResolvers);
    writeHostState(state);
    const logFile = join(stateRoot(), 'stub-resolver', 'coredns.log');
    for (let i = 0; i < 200 && !(existsSync(logFile) && readFileSync(logFile, 'utf8').includes('CoreDNS-')); i++) {
      if (!alive(state.stubPid)) break;
      await sleep(100);
    }
    if (!alive(state.stubPid)) throw new Error(`lab: the stub resolver did not start; see ${logFile}`);
  }
}

/**
 * Where the fleet's upstream resolvers point in the lab: our CoreDNS build, bound only to the stub
 * addresses on the bridge, answering REFUSED to everything. Cluster DNS forwards there; no query leaves.
 */
function startStubResolver(addresses: readonly string[]): number {
  const dir = join(stateRoot(), 'stub-resolver');
  mkdirSync(dir, { recursive: true });
  const corefile = join(dir, 'Corefile');
  writeFileSync(corefile, `. {\n  bind ${addresses.join(' ')}\n  template ANY ANY {\n    rcode REFUSED\n  }\n}\n`);
  return startProgram(binaries.coredns, ['-conf', corefile], { logFile: join(dir, 'coredns.log'), cwd: dir, outlive: true }).pid;
}

/** Routes a cluster's Service and pod ranges from the host to its node. */
export function addNodeRoutes(slot: LabSlot): void {
  for (const cidr of [slot.serviceCidr, slot.podCidr]) {
    tryRun(['ip', 'route', 'del', cidr]);
    run(['ip', 'route', 'add', cidr, 'via', slot.nodeIP, 'dev', BRIDGE]);
  }
}

export function removeNodeRoutes(slot: LabSlot): void {
  for (const cidr of [slot.serviceCidr, slot.podCidr]) tryRun(['ip', 'route', 'del', cidr, 'via', slot.nodeIP]);
  tryRun(['ip', 'link', 'del', hostNames(slot.cluster, slot.slot).hostVeth]);
}

/** Removes the shared part and writes the saved sysctls back. Call when no lab cluster is left. */
export function removeHostNetwork(log: (line: string) => void): void {
  const state = readHostState();
  if (state?.stubPid) kill(state.stubPid, 'SIGKILL');
  tryRun(['iptables', '-w', '-D', 'FORWARD', '-j', CHAIN_FORWARD]);
  tryRun(['iptables', '-w', '-D', 'OUTPUT', '-j', CHAIN_OUTPUT]);
  for (const chain of [CHAIN_FORWARD, CHAIN_OUTPUT]) {
    tryRun(['iptables', '-w', '-F', chain]);
    tryRun(['iptables', '-w', '-X', chain]);
  }
  tryRun(['ip', 'route', 'del', 'unreachable', LAB_RANGE]);
  if (tryRun(['ip', 'link', 'del', BRIDGE])) log(`host: removed bridge ${BRIDGE}, iptables chains, route ${LAB_RANGE}`);
  if (state) {
    const changed: string[] = [];
    for (const [key, value] of Object.entries(state.sysctls)) {
      if (readSysctl(key) !== value) {
        changed.push(`${key}=${value}`);
        tryRun(['sysctl', '-q', '-w', `${key}=${value}`]);
      }
    }
    if (changed.length) log(`host: sysctls put back: ${changed.join(' ')}`);
  }
  rmSync(hostStateFile(), { force: true });
  rmSync(join(stateRoot(), 'stub-resolver'), { recursive: true, force: true });
}

export { LAB_BRIDGE_CIDR };
