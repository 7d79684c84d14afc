import type { FanOutPlugin } from '../../constructs/coredns/fleet-fanout';
import { Cluster, cluster } from '../../fleet/cluster';
import { Fleet, fleet } from '../../fleet/fleet';
import { defaultStacks, TierAuthorityStack } from '../../stacks/index';

/**
 * A fleet whose every address is on loopback (127.0.10.0/24), synthesized by the same code as the
 * example fleet, so the end-to-end tests run the real Corefiles against real processes here.
 */
const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const dns = { serviceIP: '10.96.0.10', upstreams: ['127.0.10.99'] };

export const mgmt = cluster({
  name: 'lo-mgmt', tier: 'prod', role: 'management', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.10.48/28'] }] },
  dns: { ...dns, authorityIP: '127.0.10.53' }, podNetwork,
});
export const x = cluster({
  name: 'lo-x', tier: 'prod', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.10.0/28'] }] },
  dns: { ...dns, gatewayIP: '127.0.10.1' }, podNetwork,
});
export const y = cluster({
  name: 'lo-y', tier: 'prod', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.10.16/28'] }] },
  dns: { ...dns, gatewayIP: '127.0.10.17' }, podNetwork,
});

/** TTL 5 s keeps the "answer follows a moved workload" test short. */
const fleetProps = {
  domain: 'platform.test',
  tiers: [{ name: 'prod', ttl: 5 }],
  git: { repoURL: 'https://git.example/fleetnet.git' },
};
export const loopbackFleet = fleet({ ...fleetProps, clusters: [mgmt, x, y] });

/**
 * The same fleet with the tier authority on the given fan-out plugin: the management cluster lists
 * its default stacks with `TierAuthorityStack.with({ fanOut })`, as a cluster file would.
 */
export function loopbackFleetWith(fanOut: FanOutPlugin): { fleet: Fleet; mgmt: Cluster } {
  const stacks = defaultStacks(mgmt).map((s) => (s === TierAuthorityStack ? TierAuthorityStack.with({ fanOut }) : s));
  const m = cluster({ ...mgmt.props, stacks });
  return { fleet: fleet({ ...fleetProps, clusters: [m, x, y] }), mgmt: m };
}
