import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", podNetwork.mizar.vni: 16777216 is not a Geneve VNI (an integer 1-16777215)',
  fleet: variant((f) => { clusterOf(f, 'prod-x').podNetwork.mizar!.vni = 16777216; }),
} satisfies BrokenFleet;
