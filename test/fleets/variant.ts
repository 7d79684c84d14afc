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

/** The example fleet with one change applied, as a new Fleet. */
export function variant(change: (draft: FleetDraft) => void): Fleet {
  const draft = JSON.parse(JSON.stringify({ ...exampleFleet.props, clusters: exampleFleet.clusters })) as FleetDraft;
  change(draft);
  return new Fleet({ ...draft, clusters: draft.clusters.map((c) => new Cluster(c)) });
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
