import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.cni.nodes: is missing: the CNI install gives each listed node its own host-local range and no pod network to any other node',
  fleet: variant((f) => { delete (clusterOf(f, 'test-x').podNetwork.cni as { nodes?: unknown }).nodes; }),
} satisfies BrokenFleet;
