import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.cni.nodes[1].subnet: 10.244.0.128/25 of node "test-x-2" overlaps 10.244.0.0/24 of node "test-x-1" (nodes[0]), so both nodes would hand out the same pod addresses. Fix: give every node a disjoint subnet',
  fleet: variant((f) => { clusterOf(f, 'test-x').podNetwork.cni!.nodes[1].subnet = '10.244.0.128/25'; }),
} satisfies BrokenFleet;
