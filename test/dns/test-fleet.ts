import type { FanOutPlugin } from '../../constructs/coredns/fleet-fanout';
import type { Cluster } from '../../fleet/cluster';
import type { Fleet } from '../../fleet/fleet';
import { buildLoopbackFleet } from '../../lab/fleets/loopback-fleet';

/**
 * The end-to-end tests' fleet: tier prod on 127.0.10.0/24 (authority 127.0.10.53, gateways of lo-x and
 * lo-y at 127.0.10.1 and 127.0.10.17). TTL 5 s keeps the "answer follows a moved workload" test short.
 */
const build = (fanOut?: FanOutPlugin) => buildLoopbackFleet({ name: 'lo', net: '127.0.10', ttl: 5, workloads: ['x', 'y'], fanOut });

const built = build();
export const { mgmt } = built;
export const [x, y] = built.workloads;
export const loopbackFleet = built.fleet;

/**
 * The same fleet with the tier authority on the given fan-out plugin: the management cluster lists
 * its default stacks with `TierAuthorityStack.with({ fanOut })`, as a cluster file would.
 */
export function loopbackFleetWith(fanOut: FanOutPlugin): { fleet: Fleet; mgmt: Cluster } {
  const { fleet, mgmt: m } = build(fanOut);
  return { fleet, mgmt: m };
}
