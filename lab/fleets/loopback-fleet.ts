import type { FanOutPlugin } from '../../constructs/coredns/fleet-fanout';
import { Cluster, cluster, ClusterProps } from '../../fleet/cluster';
import { Fleet, fleet } from '../../fleet/fleet';
import { fleetIssues } from '../../fleet/validate';
import { defaultStacks, TierAuthorityStack } from '../../stacks/index';

/**
 * A fleet for the DNS benchmarks: one tier, its management cluster and `workloads` workload clusters,
 * every address on loopback (127.0.80.0/24 and 127.0.81.0/24, apart from the tests' ranges), so the
 * synthesized Corefiles run here unchanged but for what the e2e harness adapts.
 *
 *   tier authority    127.0.80.53              (pool 127.0.80.48/28)
 *   gateway of wN     127.0.81.(16N+1)         (pool 127.0.81.16N/28, N = 0..15)
 *   PowerDNS of w0    127.0.81.5               (only with `powerdns`)
 */
export interface LoopbackBenchFleet {
  readonly fleet: Fleet;
  readonly mgmt: Cluster;
  readonly workloads: readonly Cluster[];
  /** The tier zone the authority serves. */
  readonly zone: string;
  /** The zone PowerDNS serves on w0 (with `powerdns`). */
  readonly staticZone: string;
}

const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
/** Cluster DNS is not started by the benchmarks; the upstream is data only, but kept on loopback too. */
const dns = { serviceIP: '10.96.0.10', upstreams: ['127.0.80.99'] };
export const STATIC_ZONE = 'static.platform.test';

export interface LoopbackBenchFleetOptions {
  readonly powerdns?: boolean;
  readonly ttl?: number;
  /** The authority's fan-out plugin, chosen as a cluster file would: `TierAuthorityStack.with({ fanOut })`. @default - the synthesized default */
  readonly fanOut?: FanOutPlugin;
}

export function loopbackBenchFleet(workloads: number, options: LoopbackBenchFleetOptions = {}): LoopbackBenchFleet {
  if (!Number.isInteger(workloads) || workloads < 1 || workloads > 16) throw new Error(`1 to 16 workload clusters fit the loopback plan, not ${workloads}`);
  const mgmtProps: ClusterProps = {
    name: 'bench-mgmt', tier: 'bench', role: 'management', apiServer: 'https://127.0.0.1:6443',
    loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.80.48/28'] }] },
    dns: { ...dns, authorityIP: '127.0.80.53' }, podNetwork,
  };
  const fanOut = options.fanOut;
  const mgmt = fanOut === undefined ? cluster(mgmtProps) : cluster({
    ...mgmtProps,
    stacks: defaultStacks(cluster(mgmtProps)).map((s) => (s === TierAuthorityStack ? TierAuthorityStack.with({ fanOut }) : s)),
  });
  const list: Cluster[] = [];
  for (let n = 0; n < workloads; n++) {
    const base = 16 * n;
    const withPowerDns = options.powerdns === true && n === 0;
    list.push(cluster({
      name: `bench-w${n}`, tier: 'bench', role: 'workload', apiServer: 'https://127.0.0.1:6443',
      loadBalancer: { pools: [{ name: 'default', addresses: [`127.0.81.${base}/28`] }] },
      dns: {
        ...dns,
        gatewayIP: `127.0.81.${base + 1}`,
        ...(withPowerDns ? {
          powerdnsIP: `127.0.81.${base + 5}`,
          zones: [{ name: STATIC_ZONE, soa: { serial: 2026010101 }, ttl: 60, records: [{ name: 'registry', type: 'A' as const, address: '127.0.82.10' }] }],
        } : {}),
      },
      podNetwork,
    }));
  }
  const f = fleet({
    domain: 'platform.test',
    tiers: [{ name: 'bench', ttl: options.ttl ?? 30 }],
    git: { repoURL: 'https://git.example/fleetnet.git' },
    clusters: [mgmt, ...list],
  });
  const issues = fleetIssues(f);
  if (issues.length > 0) throw new Error(`the bench fleet is invalid: ${issues.map((i) => `${i.cluster ?? ''} ${i.field}: ${i.problem}`).join('; ')}`);
  return { fleet: f, mgmt, workloads: list, zone: f.tierOf(mgmt).zone, staticZone: STATIC_ZONE };
}
