import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.cni.nodes[1].subnet: 10.245.1.0/24 of node "test-x-2" is not inside podCidr 10.244.0.0/16. Fix: pick a range inside podCidr',
  fleet: variant((f) => { clusterOf(f, 'test-x').podNetwork.cni!.nodes[1].subnet = '10.245.1.0/24'; }),
} satisfies BrokenFleet;
