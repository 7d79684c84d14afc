import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-y", dns.autoscaling.maxReplicas: 1 is below minReplicas 2',
  fleet: variant((f) => { clusterOf(f, 'prod-y').dns.autoscaling = { maxReplicas: 1 }; }),
} satisfies BrokenFleet;
