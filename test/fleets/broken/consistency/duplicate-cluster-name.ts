import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", name: another cluster has the same name',
  fleet: variant((f) => { clusterOf(f, 'prod-y').name = 'prod-x'; }),
} satisfies BrokenFleet;
