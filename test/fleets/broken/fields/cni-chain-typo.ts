import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", podNetwork.cni.chain[1]: "bandwith" is not one of`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').podNetwork.cni!.chain = ['portmap', 'bandwith' as 'bandwidth'];
  }),
} satisfies BrokenFleet;
