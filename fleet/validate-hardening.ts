/**
 * Rules for the production-hardening settings: secondary tier authorities and cluster DNS
 * autoscaling (fleet/cluster.ts, ClusterDnsSettings).
 */
import type { FleetIssue } from './errors';
import type { Fleet } from './fleet';

export function checkHardening(fleet: Fleet, issues: FleetIssue[]): void {
  for (const c of fleet.clusters) {
    const report = (field: string, problem: string, fix: string) => issues.push({ cluster: c.name, field, problem, fix });
    const ip = c.dns.secondaryAuthorityIP;
    if (ip !== undefined) {
      if (c.role !== 'workload') {
        report('dns.secondaryAuthorityIP', 'the management cluster already runs its tier\'s authority on dns.authorityIP', 'remove secondaryAuthorityIP here, and set it on a workload cluster of the tier');
      }
      // Its address (in a pool, unique by value, not another cluster's): validate-addresses.ts.
    }
    const a = c.dns.autoscaling;
    if (a !== undefined) {
      const min = a.minReplicas ?? 2;
      if (c.dns.daemonSet) report('dns.autoscaling', 'the cluster DNS runs as a DaemonSet (dns.daemonSet), one pod per node, which an autoscaler cannot scale', 'drop autoscaling or daemonSet');
      if (!Number.isInteger(min) || min < 1 || !Number.isInteger(a.maxReplicas) || a.maxReplicas < min) {
        report('dns.autoscaling', `replicas ${min}..${a.maxReplicas} are not whole numbers with 1 <= minReplicas <= maxReplicas`, 'e.g. { minReplicas: 2, maxReplicas: 10 }');
      }
      const target = a.targetCpuUtilization ?? 70;
      if (!Number.isInteger(target) || target < 1 || target > 100) report('dns.autoscaling.targetCpuUtilization', `${target} is not a percentage between 1 and 100`, 'use 70 unless measured otherwise');
    }
  }
}
