import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../lab/paths';

/**
 * kube-router's firewall alone, the lab's NetworkPolicy enforcer (lab/test-only; see
 * tools/kube-router/build.sh): run in the node's network namespace, so its iptables rules and ipsets
 * live there and go with it. Built (or reused) by the build script, which prints the binary's path.
 */
export function startKubeRouter(o: { netns: string; kubeconfig: string; node: string; serviceCidr: string; logFile: string }): ChildProcess {
  const binary = execFileSync('bash', [join(ROOT, 'tools/kube-router/build.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  return spawn('nsenter', [`--net=/run/netns/${o.netns}`, '--', binary,
    `--kubeconfig=${o.kubeconfig}`, `--hostname-override=${o.node}`,
    '--run-firewall=true', '--run-router=false', '--run-service-proxy=false',
    `--service-cluster-ip-range=${o.serviceCidr}`, '--health-port=0', '--v=1'],
  { stdio: ['ignore', openSync(o.logFile, 'a'), openSync(o.logFile, 'a')] });
}

/** The node's iptables rules (`iptables -S`) in `netns`. */
export function nodeRules(netns: string): string {
  return execFileSync('ip', ['netns', 'exec', netns, 'iptables', '-w', '-S'], { encoding: 'utf8' });
}
