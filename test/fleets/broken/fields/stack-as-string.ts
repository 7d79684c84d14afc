import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", stacks[0]: is "cluster-dns", not a stack class`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').stacks = ['cluster-dns' as never];
  }),
} satisfies BrokenFleet;
