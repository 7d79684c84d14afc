import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", podNetwork.mizar.vni: is "7", not a number`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').podNetwork.mizar!.vni = '7' as unknown as number;
  }),
} satisfies BrokenFleet;
