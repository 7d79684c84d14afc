import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", podNetwork.serviceCidr: 10.0.0.0/8 is larger than kube-apiserver accepts`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').podNetwork.serviceCidr = '10.0.0.0/8'; clusterOf(f, 'test-x').podNetwork.podCidr = '172.16.0.0/16';
  }),
} satisfies BrokenFleet;
