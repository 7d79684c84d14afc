import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: "cluster \"prod-x\", podNetwork.cni: Mizar owns the nodes' CNI configuration",
  fleet: variant((f) => { clusterOf(f, 'prod-x').podNetwork.cni = { nodes: [{ name: 'prod-x-1', subnet: '10.244.0.0/24' }] }; }),
} satisfies BrokenFleet;
