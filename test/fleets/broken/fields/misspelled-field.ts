import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.gatewayIp: is not a field fleetnet knows, so it would be ignored. Fix: rename it to gatewayIP`,
  fleet: variant((f) => {
    const d = clusterOf(f, 'prod-x').dns as Record<string, unknown>; d.gatewayIp = d.gatewayIP;
  }),
} satisfies BrokenFleet;
