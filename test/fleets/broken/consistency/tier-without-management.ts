import { BrokenFleet, variant } from '../../variant';

export default {
  expect: 'fleet, tiers[1]: tier "test" has no management cluster',
  fleet: variant((f) => { f.clusters = f.clusters.filter((c) => c.name !== 'test-mgmt'); }),
} satisfies BrokenFleet;
