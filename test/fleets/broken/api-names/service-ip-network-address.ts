import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.serviceIP: 10.96.0.0 is the network address of the Service range`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.serviceIP = '10.96.0.0';
  }),
} satisfies BrokenFleet;
