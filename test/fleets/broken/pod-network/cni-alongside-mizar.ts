import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: "cluster \"prod-x\", podNetwork.cni: Mizar owns the nodes' CNI configuration",
  fleet: variant((f) => { clusterOf(f, 'prod-x').podNetwork.cni = {}; }),
} satisfies BrokenFleet;
