import type { FanOutPlugin } from '../../constructs/coredns/fleet-fanout';
import type { ZoneSource } from '../../constructs/zones/zone';
import { Cluster, cluster, ClusterProps } from '../../fleet/cluster';
import { Fleet, fleet } from '../../fleet/fleet';
import { fleetIssues } from '../../fleet/validate';
import { defaultStacks, TierAuthorityStack } from '../../stacks/index';

/**
 * Fleets whose every address is on loopback, synthesized by the same code as the example fleet, so the
 * synthesized Corefiles and manifests run here against real processes, changed only where the cluster
 * provides something. One tier: its management cluster and some workload clusters, each on a /28 "slot"
 * of a /24 (`net`): slot s is `<net>.16s/28`, and in it
 *
 *   +1  the gateway (workload)          +2  the secondary tier authority (workload, when asked)
 *   +5  the tier authority (management), or PowerDNS (workload, when asked)
 *
 * and `<net>.99` is the upstream resolver (data only: cluster DNS is not run by these tests).
 */
export interface LoopbackWorkload {
  /** The cluster is `<fleet name>-<name>`. */
  readonly name: string;
  /** @default - the next slot not taken by the management cluster */
  readonly slot?: number;
  /** A secondary tier authority at slot +2. @default false */
  readonly secondaryAuthority?: boolean;
  /** PowerDNS at slot +5, serving these zones. @default - no PowerDNS */
  readonly powerdnsZones?: readonly ZoneSource[];
}

export interface LoopbackFleetOptions {
  /** Prefix of the cluster names: `<name>-mgmt`, `<name>-<workload>`. */
  readonly name: string;
  /** The first three octets of the /24 of the management cluster, e.g. `127.0.10`. */
  readonly net: string;
  /** The /24 of the workload clusters. @default - net */
  readonly workloadNet?: string;
  readonly workloads: readonly (string | LoopbackWorkload)[];
  /** @default 'prod' */
  readonly tier?: string;
  /** The tier's TTL. @default - the fleet's default */
  readonly ttl?: number;
  /** @default 3 (the authority at `<net>.53`) */
  readonly mgmtSlot?: number;
  /** The authority's fan-out plugin, chosen as a cluster file would: `TierAuthorityStack.with({ fanOut })`. @default - the synthesized default */
  readonly fanOut?: FanOutPlugin;
}

export interface LoopbackFleet {
  readonly fleet: Fleet;
  readonly mgmt: Cluster;
  readonly workloads: readonly Cluster[];
  /** The tier zone the authority serves. */
  readonly zone: string;
}

const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const apiServer = 'https://127.0.0.1:6443';

/** Builds (and validates) a loopback fleet; throws naming each issue when the plan does not fit. */
export function buildLoopbackFleet(options: LoopbackFleetOptions): LoopbackFleet {
  const tier = options.tier ?? 'prod';
  const mgmtSlot = options.mgmtSlot ?? 3;
  const workloadNet = options.workloadNet ?? options.net;
  const base = (slot: number) => {
    if (!Number.isInteger(slot) || slot < 0 || slot > 15) throw new Error(`loopback fleet ${options.name}: slot ${slot} is not one of the 16 /28s of a /24`);
    return 16 * slot;
  };
  const dns = { serviceIP: '10.96.0.10', upstreams: [`${options.net}.99`] };
  const mgmtProps: ClusterProps = {
    name: `${options.name}-mgmt`, tier, role: 'management', apiServer,
    loadBalancer: { pools: [{ name: 'default', addresses: [`${options.net}.${base(mgmtSlot)}/28`] }] },
    dns: { ...dns, authorityIP: `${options.net}.${base(mgmtSlot) + 5}` }, podNetwork,
  };
  const { fanOut } = options;
  const mgmt = fanOut === undefined ? cluster(mgmtProps) : cluster({
    ...mgmtProps,
    stacks: defaultStacks(cluster(mgmtProps)).map((s) => (s === TierAuthorityStack ? TierAuthorityStack.with({ fanOut }) : s)),
  });
  const free = [...Array(16).keys()].filter((s) => workloadNet !== options.net || s !== mgmtSlot);
  const workloads = options.workloads.map((w, i) => {
    const spec: LoopbackWorkload = typeof w === 'string' ? { name: w } : w;
    const b = base(spec.slot ?? free[i]);
    return cluster({
      name: `${options.name}-${spec.name}`, tier, role: 'workload', apiServer,
      loadBalancer: { pools: [{ name: 'default', addresses: [`${workloadNet}.${b}/28`] }] },
      dns: {
        ...dns,
        gatewayIP: `${workloadNet}.${b + 1}`,
        ...(spec.secondaryAuthority ? { secondaryAuthorityIP: `${workloadNet}.${b + 2}` } : {}),
        ...(spec.powerdnsZones ? { powerdnsIP: `${workloadNet}.${b + 5}`, zones: spec.powerdnsZones } : {}),
      },
      podNetwork,
    });
  });
  const f = fleet({
    domain: 'platform.test',
    tiers: [{ name: tier, ...(options.ttl !== undefined ? { ttl: options.ttl } : {}) }],
    git: { repoURL: 'https://git.example/fleetnet.git' },
    clusters: [mgmt, ...workloads],
  });
  const issues = fleetIssues(f);
  if (issues.length > 0) throw new Error(`loopback fleet ${options.name} is invalid: ${issues.map((i) => `${i.cluster ?? ''} ${i.field}: ${i.problem}`).join('; ')}`);
  return { fleet: f, mgmt, workloads, zone: f.tierOf(mgmt).zone };
}

/**
 * The fleet of the DNS benchmarks: tier `bench`, its management cluster on 127.0.80.0/24 (authority
 * 127.0.80.53) and `workloads` workload clusters bench-w0.. on 127.0.81.0/24 (gateway of wN at
 * 127.0.81.(16N+1)); with `powerdns`, w0 runs PowerDNS at 127.0.81.5 serving STATIC_ZONE.
 */
export interface LoopbackBenchFleet extends LoopbackFleet {
  /** The zone PowerDNS serves on w0 (with `powerdns`). */
  readonly staticZone: string;
}

export const STATIC_ZONE = 'static.platform.test';

export interface LoopbackBenchFleetOptions {
  readonly powerdns?: boolean;
  /** @default 30 */
  readonly ttl?: number;
  readonly fanOut?: FanOutPlugin;
}

export function loopbackBenchFleet(workloads: number, options: LoopbackBenchFleetOptions = {}): LoopbackBenchFleet {
  if (!Number.isInteger(workloads) || workloads < 1 || workloads > 16) throw new Error(`1 to 16 workload clusters fit the loopback plan, not ${workloads}`);
  const zones = [{ name: STATIC_ZONE, soa: { serial: 2026010101 }, ttl: 60, records: [{ name: 'registry', type: 'A' as const, address: '127.0.82.10' }] }];
  const built = buildLoopbackFleet({
    name: 'bench', tier: 'bench', ttl: options.ttl ?? 30, net: '127.0.80', workloadNet: '127.0.81', fanOut: options.fanOut,
    workloads: [...Array(workloads).keys()].map((n) => ({ name: `w${n}`, slot: n, ...(options.powerdns && n === 0 ? { powerdnsZones: zones } : {}) })),
  });
  return { ...built, staticZone: STATIC_ZONE };
}
