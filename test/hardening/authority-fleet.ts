import { fleet } from '../../fleet/fleet';
import { buildLoopbackFleet, LoopbackFleetOptions } from '../../lab/fleets/loopback-fleet';

/**
 * A loopback fleet (127.0.17.0/24) whose prod tier has two authorities: the management cluster's
 * (127.0.17.53) and a secondary one on workload cluster ha-x (127.0.17.2). `singleAuthorityFleet` is
 * the same fleet without the second.
 */
const plan = (secondaryAuthority: boolean): LoopbackFleetOptions => ({
  name: 'ha', net: '127.0.17', ttl: 5, workloads: [{ name: 'x', secondaryAuthority }, 'y'],
});
const ha = buildLoopbackFleet(plan(true));
export const { mgmt } = ha;
export const [x, y] = ha.workloads;
export const haFleet = ha.fleet;
// The same cluster objects as haFleet's (tests render mgmt and y of either fleet), with x without its authority.
export const singleAuthorityFleet = fleet({ ...haFleet.props, clusters: [mgmt, buildLoopbackFleet(plan(false)).workloads[0], y] });
export const ZONE = ha.zone;
