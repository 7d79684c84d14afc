import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.podCidr: fd00:244::/64 is IPv6 but the Service range 10.96.0.0/16 is IPv4',
  fleet: variant((f) => { clusterOf(f, 'test-x').podNetwork.podCidr = 'fd00:244::/64'; }),
} satisfies BrokenFleet;
