/**
 * Faults on the loopback "link" of one gateway, for the benchmarks: a black hole (every datagram to it
 * dropped, no ICMP) and random loss (a share of the datagrams to and from it dropped).
 *
 * netem would be the usual tool, but this kernel has no sch_netem (`tc qdisc add … netem` says
 * "Specified qdisc kind is unknown"), so the faults are iptables rules: DROP, and the `statistic`
 * match in random mode for loss. They live in a chain of their own, FLEETNET-BENCH-LINK, jumped to
 * from INPUT and only ever matching UDP port 53 of a 127.0.0.0/8 address. INPUT, not OUTPUT: a
 * datagram dropped in OUTPUT fails the sender's sendmsg with EPERM, so the sender knows at once (fanout
 * then gave up after 100 ms instead of waiting, and nothing looked lost); dropped on the way in, it
 * leaves the sender as a lost datagram on a wire would, without a word. `clear()` empties the chain; `remove()` (also run at process exit and by
 * `LinkFaults.create()` for a chain a crashed run left behind) takes the jump and the chain away, so
 * the host's rules are as before.
 */
import { execFileSync } from 'node:child_process';

const CHAIN = 'FLEETNET-BENCH-LINK';

function iptables(...args: string[]): string {
  return execFileSync('iptables', ['-w', '5', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryIptables(...args: string[]): boolean {
  try {
    iptables(...args);
    return true;
  } catch {
    return false;
  }
}

function loopbackOnly(ip: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) throw new Error(`link faults only apply to 127.0.0.0/8, not ${ip}`);
}

export class LinkFaults {
  private removed = false;
  private readonly onExit = () => this.remove();

  private constructor() {
    process.once('exit', this.onExit);
  }

  /** Creates the chain and its jump (after removing any left over from a run that crashed). */
  static create(): LinkFaults {
    LinkFaults.removeChain();
    iptables('-N', CHAIN);
    iptables('-I', 'INPUT', '1', '-j', CHAIN);
    return new LinkFaults();
  }

  /** Every datagram to ip:53 vanishes; no ICMP goes back. */
  blackHole(ip: string): void {
    loopbackOnly(ip);
    iptables('-A', CHAIN, '-d', ip, '-p', 'udp', '--dport', '53', '-j', 'DROP');
  }

  /** Each datagram to ip:53 and each from it is dropped with probability `share` (0 to 1). */
  loss(ip: string, share: number): void {
    loopbackOnly(ip);
    if (!(share > 0 && share < 1)) throw new Error(`loss share ${share}: between 0 and 1`);
    const p = share.toFixed(4);
    iptables('-A', CHAIN, '-d', ip, '-p', 'udp', '--dport', '53', '-m', 'statistic', '--mode', 'random', '--probability', p, '-j', 'DROP');
    iptables('-A', CHAIN, '-s', ip, '-p', 'udp', '--sport', '53', '-m', 'statistic', '--mode', 'random', '--probability', p, '-j', 'DROP');
  }

  /** Datagrams the chain's rules dropped so far (from `iptables -L -v -x`). */
  dropped(): number {
    const out = iptables('-L', CHAIN, '-v', '-x', '-n');
    return out.split('\n').slice(2).reduce((sum, line) => sum + (Number(line.trim().split(/\s+/)[0]) || 0), 0);
  }

  clear(): void {
    iptables('-F', CHAIN);
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    process.removeListener('exit', this.onExit);
    LinkFaults.removeChain();
  }

  private static removeChain(): void {
    for (let i = 0; i < 10 && tryIptables('-D', 'INPUT', '-j', CHAIN); i++);
    for (let i = 0; i < 10 && tryIptables('-D', 'OUTPUT', '-j', CHAIN); i++);
    tryIptables('-F', CHAIN);
    tryIptables('-X', CHAIN);
  }
}
