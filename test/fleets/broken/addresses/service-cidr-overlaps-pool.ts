import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.serviceCidr: 203.0.113.0/24 overlaps MetalLB pool "default" (203.0.113.64/27)',
  fleet: variant((f) => { clusterOf(f, 'test-x').podNetwork.serviceCidr = '203.0.113.0/24'; clusterOf(f, 'test-x').dns.serviceIP = '203.0.113.10'; }),
} satisfies BrokenFleet;
