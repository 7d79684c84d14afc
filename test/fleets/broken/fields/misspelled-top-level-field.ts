import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", loadbalancer: is not a field fleetnet knows`,
  fleet: variant((f) => {
    const c = clusterOf(f, 'test-x') as Record<string, unknown>; c.loadbalancer = { network: 'lab' };
  }),
} satisfies BrokenFleet;
