import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dig as labDig } from '../../lab/dns/dig';
import { waitFor } from '../../lab/process';
import { HOST_SYSCTLS } from '../../lab/host-network';
import { readSysctl } from '../../lab/system';

/**
 * What the lab may touch on the host. Only the lab's own traces are compared (other tests on a shared
 * machine add and remove their own rules and namespaces meanwhile): iptables rules and chains of the lab,
 * kube-proxy or CNI plugins, routes and links in or to the lab range, lab namespaces, mounts and cgroups,
 * and the host-wide sysctls kubelet rewrites.
 */
export function hostSnapshot() {
  const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { encoding: 'utf8' });
  const ours = (text: string) => text.split('\n').filter((l) => /FLEETNET-LAB|fl-lab|fleetnet-lab|198\.1[89]\.|KUBE-|CNI-|cni0/.test(l)).join('\n');
  const cgroups = readdirSync('/sys/fs/cgroup').flatMap((h) => (existsSync(`/sys/fs/cgroup/${h}`) ? readdirSync(`/sys/fs/cgroup/${h}`).filter((d) => d.startsWith('fleetnet-lab')) : []));
  return {
    iptables: ours(sh('iptables -w -S; iptables -w -t nat -S; iptables -w -t mangle -S')),
    routes: ours(sh('ip route show table all')),
    links: ours(sh('ip -o link show')),
    netns: ours(sh('ip netns list')),
    mounts: readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes('fleetnet')).join('\n'),
    cgroups: cgroups.join(' '),
    sysctls: Object.fromEntries(HOST_SYSCTLS.map((k) => [k, readSysctl(k)])),
  };
}

/** An A query to a lab address on the lab bridge: one try, short timeout; the answers, one a line. */
export function dig(server: string, name: string): string {
  return labDig(server, name, 'A', { timeoutSeconds: 2 }).answers.join('\n');
}

/** The lab's bounded wait, polling once a second; resolves to the value `f` first returns. */
export async function until<T>(what: string, timeoutMs: number, f: () => Promise<T | undefined>): Promise<T> {
  return waitFor(what, f, { timeoutMs, intervalMs: 1000 });
}
