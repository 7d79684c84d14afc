import type { Cluster } from './cluster';

export interface TierProps {
  /** Tier name, a DNS label (`prod`, `test`). */
  readonly name: string;
  /**
   * The zone the tier authority serves, inside the fleet domain.
   * @default `<name>.<fleet domain>`
   */
  readonly zone?: string;
  /**
   * TTL in seconds of the answers the gateways give. It bounds how long a client keeps a moved
   * workload's old address.
   * @default 30
   */
  readonly ttl?: number;
}

/** Where Argo CD on every cluster reads `charts-out/` from. */
export interface GitSourceProps {
  /** Repository URL Argo CD can reach. */
  readonly repoURL: string;
  /**
   * Branch, tag or commit Argo CD syncs.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Path of `charts-out/` inside the repository.
   * @default 'charts-out'
   */
  readonly basePath?: string;
}

export interface FleetProps {
  /** The platform domain; each tier's zone lies below it (`platform.example`). */
  readonly domain: string;
  readonly tiers: readonly TierProps[];
  readonly git: GitSourceProps;
  readonly clusters: readonly Cluster[];
}

/** A tier with its defaults resolved. */
export interface Tier {
  readonly name: string;
  readonly zone: string;
  readonly ttl: number;
}

/** One name server of a tier zone: the cluster whose authority it is, its fixed IP and its NS name. */
export interface TierAuthorityServer {
  readonly cluster: Cluster;
  readonly ip: string;
  /** `ns<N>.<tier zone>`, without the trailing dot. */
  readonly nameServer: string;
}

/** The whole fleet: the one source of truth every stack derives cross-cluster facts from. */
export class Fleet {
  readonly domain: string;
  readonly tiers: readonly Tier[];
  readonly git: Required<GitSourceProps>;
  readonly clusters: readonly Cluster[];

  constructor(readonly props: FleetProps) {
    this.domain = props.domain;
    this.tiers = props.tiers.map((t) => ({ name: t.name, zone: t.zone ?? `${t.name}.${props.domain}`, ttl: t.ttl ?? 30 }));
    this.git = { repoURL: props.git.repoURL, revision: props.git.revision ?? 'main', basePath: props.git.basePath ?? 'charts-out' };
    this.clusters = props.clusters;
  }

  /** The tier of a cluster. Throws for a tier the fleet does not declare (validation reports it first). */
  tierOf(cluster: Cluster): Tier {
    const tier = this.tiers.find((t) => t.name === cluster.tier);
    if (!tier) throw new Error(`cluster "${cluster.name}": tier "${cluster.tier}" is not declared in the fleet's tiers`);
    return tier;
  }

  /** The management cluster of a tier (validation guarantees exactly one). */
  managementOf(tier: Tier | string): Cluster {
    const name = typeof tier === 'string' ? tier : tier.name;
    const found = this.clusters.find((c) => c.tier === name && c.role === 'management');
    if (!found) throw new Error(`tier "${name}" has no management cluster`);
    return found;
  }

  /**
   * The name servers of a tier's zone: the management cluster's authority first (`ns1`), then every
   * cluster of the tier with `dns.secondaryAuthorityIP`, in fleet order (`ns2`, `ns3`, …).
   */
  authoritiesOf(tier: Tier | string): TierAuthorityServer[] {
    const t = typeof tier === 'string' ? this.tiers.find((x) => x.name === tier) : tier;
    if (!t) throw new Error(`tier "${String(tier)}" is not declared in the fleet's tiers`);
    const management = this.managementOf(t);
    const servers: { cluster: Cluster; ip: string }[] = [];
    if (management.dns.authorityIP) servers.push({ cluster: management, ip: management.dns.authorityIP });
    for (const c of this.clusters) {
      if (c.tier === t.name && c.dns.secondaryAuthorityIP) servers.push({ cluster: c, ip: c.dns.secondaryAuthorityIP });
    }
    return servers.map((s, i) => ({ ...s, nameServer: `ns${i + 1}.${t.zone}` }));
  }

  /** The workload clusters of a tier, in fleet order. */
  workloadsOf(tier: Tier | string): Cluster[] {
    const name = typeof tier === 'string' ? tier : tier.name;
    return this.clusters.filter((c) => c.tier === name && c.role === 'workload');
  }

  cluster(name: string): Cluster {
    const found = this.clusters.find((c) => c.name === name);
    if (!found) throw new Error(`no cluster "${name}" in the fleet; known: ${this.clusters.map((c) => c.name).join(', ')}`);
    return found;
  }
}

/** Declares the fleet. Call `validateFleet` (synthesis does) before using it. */
export function fleet(props: FleetProps): Fleet {
  return new Fleet(props);
}
