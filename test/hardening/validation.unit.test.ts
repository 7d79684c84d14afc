import { describe, expect, it } from 'vitest';
import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';
import { fleetIssues } from '../../fleet/validate';
import { haFleet, mgmt, x, y } from './authority-fleet';

const withX = (dns: Partial<typeof x.dns>, daemonSet = false) => {
  const changed = cluster({ ...x, dns: { ...x.dns, ...dns, ...(daemonSet ? { daemonSet } : {}) } });
  return fleet({ ...haFleet.props, clusters: [mgmt, changed, y] });
};
const problems = (f: typeof haFleet) => fleetIssues(f).map((i) => `${i.cluster} ${i.field}: ${i.problem}. Fix: ${i.fix}`);

describe('validation of the hardening settings', () => {
  it('accepts a tier with a secondary authority and an autoscaled cluster DNS', () => {
    expect(problems(withX({ autoscaling: { maxReplicas: 6 } }))).toEqual([]);
  });

  it('refuses a secondary authority on the management cluster (its address rules: validate-addresses.ts)', () => {
    const onMgmt = cluster({ ...mgmt, dns: { ...mgmt.dns, secondaryAuthorityIP: '127.0.17.54' } });
    expect(problems(fleet({ ...haFleet.props, clusters: [onMgmt, x, y] })).join('\n')).toMatch(/ha-mgmt dns\.secondaryAuthorityIP: the management cluster already runs.*Fix: remove/);
    // Addresses are checked too, once each.
    expect(problems(withX({ secondaryAuthorityIP: '127.0.17.200' })).filter((p) => p.includes('outside every MetalLB pool'))).toHaveLength(1);
  });

  it('refuses autoscaling on a DaemonSet and bounds that do not make sense', () => {
    expect(problems(withX({ autoscaling: { maxReplicas: 4 } }, true)).join('\n')).toMatch(/ha-x dns\.autoscaling: the cluster DNS runs as a DaemonSet/);
    expect(problems(withX({ autoscaling: { minReplicas: 5, maxReplicas: 3 } })).join('\n')).toMatch(/1 <= minReplicas <= maxReplicas/);
    expect(problems(withX({ autoscaling: { maxReplicas: 3, targetCpuUtilization: 150 } })).join('\n')).toMatch(/not a percentage/);
  });

  it('knows monitoring.prometheusOperator, and refuses a value that is not a boolean', () => {
    const on = cluster({ ...x, monitoring: { prometheusOperator: true } });
    expect(problems(fleet({ ...haFleet.props, clusters: [mgmt, on, y] }))).toEqual([]);
    const typo = cluster({ ...x, monitoring: { prometheusOperator: 'yes' as never } });
    expect(problems(fleet({ ...haFleet.props, clusters: [mgmt, typo, y] })).join('\n')).toMatch(/ha-x monitoring\.prometheusOperator: is "yes", not true or false/);
  });
});
