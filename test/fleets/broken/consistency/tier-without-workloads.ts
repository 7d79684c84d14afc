import { BrokenFleet, variant } from '../../variant';

export default {
  expect: `cluster "test-mgmt", tier: tier "test" has a management cluster but no workload cluster`,
  fleet: variant((f) => {
    f.clusters = f.clusters.filter((c) => c.name !== 'test-x');
  }),
} satisfies BrokenFleet;
