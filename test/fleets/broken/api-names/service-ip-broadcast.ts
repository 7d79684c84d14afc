import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.serviceIP: 10.96.255.255 is the broadcast address of the Service range`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.serviceIP = '10.96.255.255';
  }),
} satisfies BrokenFleet;
