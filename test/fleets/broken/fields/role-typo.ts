import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", role: "Workload" is not one of`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').role = 'Workload' as 'workload';
  }),
} satisfies BrokenFleet;
