import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", tier: tier "staging" is not declared in the fleet',
  fleet: variant((f) => { clusterOf(f, 'test-x').tier = 'staging'; }),
} satisfies BrokenFleet;
