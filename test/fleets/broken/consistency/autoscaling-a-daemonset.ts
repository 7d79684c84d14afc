import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", dns.autoscaling: a DaemonSet runs one pod per node and cannot be autoscaled',
  fleet: variant((f) => { clusterOf(f, 'prod-x').dns.autoscaling = { maxReplicas: 4 }; }),
} satisfies BrokenFleet;
