import { Cluster, ClusterProps } from '../../fleet/cluster';
import { Fleet, FleetProps } from '../../fleet/fleet';
import { fleet as exampleFleet } from '../../clusters/index';

type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends (abstract new (...args: never[]) => unknown) | ((...args: never[]) => unknown)
    ? T
    : T extends object
      ? { -readonly [K in keyof T]: Mutable<T[K]> }
      : T;

/** Plain, mutable props of the example fleet, for a test to change one thing. */
export interface FleetDraft extends Mutable<Omit<FleetProps, 'clusters'>> {
  clusters: Mutable<ClusterProps>[];
}

/** A deep copy of plain data that keeps functions (stack classes) as they are. */
export function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).filter(([, v]) => v !== undefined).map(([k, v]) => [k, copyOf(v)])) as T;
  }
  return value;
}

/** Plain, mutable props of a fleet (each cluster's props as written). */
export function draftOf(fleet: Fleet): FleetDraft {
  return copyOf({ ...fleet.props, clusters: fleet.clusters.map((c) => c.props ?? c) }) as unknown as FleetDraft;
}

/** A fleet from a draft. */
export function fleetOf(draft: FleetDraft): Fleet {
  return new Fleet({ ...draft, clusters: draft.clusters.map((c) => new Cluster(c)) });
}

/** The example fleet (or `base`) with one change applied, as a new Fleet. */
export function variant(change: (draft: FleetDraft) => void, base: Fleet = exampleFleet): Fleet {
  const draft = draftOf(base);
  change(draft);
  return fleetOf(draft);
}

/** A named cluster of a draft (throws when the example fleet has no such cluster). */
export function clusterOf(draft: FleetDraft, name: string): Mutable<ClusterProps> {
  const found = draft.clusters.find((c) => c.name === name);
  if (!found) throw new Error(`the example fleet has no cluster ${name}`);
  return found;
}

/** A deliberately broken fleet and the message it must be rejected with. */
export interface BrokenFleet {
  /** A substring of the validation message. */
  readonly expect: string;
  readonly fleet: Fleet;
}

/** Puts tier "test" of the example fleet on IPv6: pools, fixed IPs, Services, pods and resolvers. */
export function ipv6TestTier(f: FleetDraft): void {
  for (const [name, pool, fixed] of [['test-mgmt', '2001:db8:20::/120', '2001:db8:20::53'], ['test-x', '2001:db8:21::/120', '2001:db8:21::66']] as const) {
    const c = clusterOf(f, name);
    c.loadBalancer.pools = [{ name: 'default', addresses: [pool] }];
    if (c.role === 'management') c.dns.authorityIP = fixed;
    else c.dns.gatewayIP = fixed;
    c.dns.serviceIP = 'fd00:96::a';
    c.dns.upstreams = ['2001:db8::53', '2001:db8::54'];
    c.podNetwork.podCidr = 'fd00:244::/64';
    c.podNetwork.serviceCidr = 'fd00:96::/112';
    c.podNetwork.cni?.nodes.forEach((node, i) => (node.subnet = `fd00:244:0:0:${i}::/80`));
  }
}
