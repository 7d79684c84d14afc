import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.cni.nodes[0].name: "Test_X_1" is not a node name. Fix: write the name the kubelet registers',
  fleet: variant((f) => { clusterOf(f, 'test-x').podNetwork.cni!.nodes[0].name = 'Test_X_1'; }),
} satisfies BrokenFleet;
