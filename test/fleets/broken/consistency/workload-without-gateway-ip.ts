import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", dns.gatewayIP: a workload cluster needs a fixed gateway IP',
  fleet: variant((f) => { delete clusterOf(f, 'prod-x').dns.gatewayIP; }),
} satisfies BrokenFleet;
