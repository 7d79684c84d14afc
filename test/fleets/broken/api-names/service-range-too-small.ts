import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'dns.serviceIP: 10.96.0.9 is the first address of the Service range, which the `kubernetes` Service (the API server itself) holds, so the API server refuses the cluster DNS Service. Fix: use a larger Service range',
  fleet: variant((f) => {
    clusterOf(f, 'test-x').podNetwork.serviceCidr = '10.96.0.8/31'; clusterOf(f, 'test-x').dns.serviceIP = '10.96.0.9';
  }),
} satisfies BrokenFleet;
