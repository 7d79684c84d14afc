import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Fleet } from '../../fleet/fleet';
import { waitFor } from '../../lab/argocd';
import { HOST_SYSCTLS } from '../../lab/host-network';
import { readSysctl, sleep } from '../../lab/system';

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

/** An A query to a lab address on the lab bridge: one try, short timeout. */
export function dig(server: string, name: string): string {
  return execFileSync('dig', ['+short', '+time=2', '+tries=1', `@${server}`, name, 'A'], { encoding: 'utf8' }).trim();
}

/** The lab's bounded wait, polling once a second; resolves to the value `f` first returns. */
export async function until<T>(what: string, timeoutMs: number, f: () => Promise<T | undefined>): Promise<T> {
  return (await waitFor(what, f, timeoutMs, 1000)).value;
}

/**
 * The lab's bridge, namespaces and iptables chains are host-global, and other lab tests (tier.test.ts,
 * also on test-x; a CI run in another clone) may start at the same moment: wait (bounded) until none
 * runs. The grace first lets a lab test started beside this one claim the host.
 */
export async function waitForNoOtherLab(timeoutMs: number): Promise<number> {
  const begin = Date.now();
  await sleep(20_000);
  const quiet = () => {
    const ok = (cmd: string, args: string[]) => { try { execFileSync(cmd, args, { stdio: 'ignore' }); return true; } catch { return false; } };
    return !ok('ip', ['link', 'show', 'fl-lab0']) && !ok('pgrep', ['-x', 'kubelet']) && !ok('pgrep', ['-f', 'kubelet-v1']);
  };
  // Quiet twice, 10 s apart: a lab test between two of its clusters has the bridge down for a moment.
  for (let quietTimes = 0; quietTimes < 2; quietTimes = quiet() ? quietTimes + 1 : 0) {
    if (Date.now() - begin > timeoutMs) throw new Error(`another lab still runs after ${timeoutMs / 1000}s (bridge fl-lab0 or a kubelet); stop it (npm run lab -- down) and run again`);
    await sleep(10_000);
  }
  return Date.now() - begin;
}

/**
 * The lab copy of the fleet (`<lab>/fleet.ts`), imported from a copy at `<dir>/fleet.ts`: the lab files
 * run in one process, whose module cache keeps the first fleet.ts it imported under that path (an earlier
 * lab test's copy, of another bootstrap mode), whatever the file holds now. Its imports are absolute.
 */
export async function importLabFleet(fleetModule: string, dir: string): Promise<Fleet> {
  const copy = join(dir, 'fleet.ts');
  copyFileSync(fleetModule, copy);
  return ((await import(pathToFileURL(copy).href)) as { fleet: Fleet }).fleet;
}
