import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.cni.nodes[1].name: node "test-x-1" is already listed at nodes[0]. Fix: list each node once',
  fleet: variant((f) => { clusterOf(f, 'test-x').podNetwork.cni!.nodes[1].name = 'test-x-1'; }),
} satisfies BrokenFleet;
