import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", podNetwork.mizar.subnetCidr: 172.21.0.0/18 is not inside the VPC 172.20.0.0/16',
  fleet: variant((f) => { clusterOf(f, 'prod-x').podNetwork.mizar!.subnetCidr = '172.21.0.0/18'; }),
} satisfies BrokenFleet;
