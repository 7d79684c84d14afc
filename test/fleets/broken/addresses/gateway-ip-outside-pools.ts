import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", dns.gatewayIP: 198.51.100.200 is outside every MetalLB pool of the cluster (198.51.100.64/27)',
  fleet: variant((f) => { clusterOf(f, 'prod-x').dns.gatewayIP = '198.51.100.200'; }),
} satisfies BrokenFleet;
