import { clusterOf, variant } from '../variant';

/** A second tier authority on a workload cluster, and a cluster DNS scaled by a HorizontalPodAutoscaler. */
export default variant((f) => {
  clusterOf(f, 'prod-x').dns.secondaryAuthorityIP = '198.51.100.67';
  clusterOf(f, 'prod-x').dns.daemonSet = undefined;
  clusterOf(f, 'prod-y').dns.autoscaling = { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 60 };
});
