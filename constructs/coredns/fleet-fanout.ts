/**
 * Our own fan-out plugin, `fleetfanout` (images/coredns/plugin/fleetfanout), and the choice between it
 * and the external `fanout` for the tier authority.
 */
import type { Directive } from './corefile';

/**
 * The plugin the tier authority fans out with:
 * - `fleetfanout`: ours. Pooled sockets, per-gateway health (a dead gateway leaves the NXDOMAIN wait
 *   within about a second), resends inside the deadline (a lost datagram is not an NXDOMAIN).
 * - `fanout`: networkservicemesh/fanout, a new socket per upstream and query, no health state.
 * Both: every gateway at once, the first positive answer wins, NXDOMAIN once every gateway asked said
 * so. bench/RESULTS.md measures them side by side.
 */
export type FanOutPlugin = 'fleetfanout' | 'fanout';

/**
 * The authority's default: fleetfanout, which won every measurement of bench/RESULTS.md ("fleetfanout
 * against fanout") and passes the same end-to-end tests: 2.5 to 4.5 times less authority CPU per
 * query at 2 to 8 gateways, NXDOMAIN no longer waits 2 s while a cluster is down, and about a hundred
 * times fewer false NXDOMAINs under 5 % loss.
 */
export const DEFAULT_FAN_OUT_PLUGIN: FanOutPlugin = 'fleetfanout';

/** Gateways one fleetfanout may ask (`maxGateways` in the plugin's setup.go); the same bound as fanout's. */
export const FLEET_FANOUT_MAX_GATEWAYS = 100;

/**
 * Sends per gateway and query, the first included. The resends come after the gateway's adaptive
 * per-attempt deadline (srtt + 4 rttvar, 20 to 500 ms, doubled each time), all inside the overall
 * timeout: with 5 % loss on a link, a query still loses only if all three go.
 */
export const FLEET_FANOUT_ATTEMPTS = 3;

export interface FleetFanoutOptions {
  /** The zone it answers; other names go to the next plugin. */
  readonly zone: string;
  /** Gateway addresses (`IP` or `IP:port`, port 53 by default). At most FLEET_FANOUT_MAX_GATEWAYS. */
  readonly to: readonly string[];
  /**
   * Deadline of the whole fan-out in milliseconds, resends included: the bound on any answer.
   * @default 2000 (fleetfanout)
   */
  readonly timeoutMs?: number;
  /**
   * Sends per gateway and query, the first included.
   * @default 3 (fleetfanout)
   */
  readonly attempts?: number;
}

export function fleetFanout(o: FleetFanoutOptions): Directive {
  if (o.to.length === 0) throw new Error(`fleetfanout for ${o.zone} needs at least one gateway`);
  if (o.to.length > FLEET_FANOUT_MAX_GATEWAYS) throw new Error(`fleetfanout for ${o.zone}: ${o.to.length} gateways, at most ${FLEET_FANOUT_MAX_GATEWAYS}`);
  const options = [
    ...(o.timeoutMs !== undefined ? [{ key: 'timeout', args: [`${o.timeoutMs}ms`] }] : []),
    ...(o.attempts !== undefined ? [{ key: 'attempts', args: [o.attempts] }] : []),
  ];
  return { name: 'fleetfanout', args: [o.zone, ...o.to], options };
}
