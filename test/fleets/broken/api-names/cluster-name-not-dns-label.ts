import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "Prod_X", name: "Prod_X" is not a DNS label',
  fleet: variant((f) => { clusterOf(f, 'prod-x').name = 'Prod_X'; }),
} satisfies BrokenFleet;
