import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", dns.serviceIP: 10.100.0.10 is outside the Service range 10.96.0.0/16',
  fleet: variant((f) => { clusterOf(f, 'prod-x').dns.serviceIP = '10.100.0.10'; }),
} satisfies BrokenFleet;
