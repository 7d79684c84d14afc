import type { Cluster } from './cluster';
import { isDnsLabel, isDnsName, isInZone } from '../constructs/common/dns-name';
import { FleetIssue, FleetValidationError, ReportIssue } from './errors';
import type { Fleet } from './fleet';
import { isIp } from '../constructs/common/ip';
import { checkAddressesAcrossClusters, checkFixedIps, checkPools } from './validate-addresses';
import { checkApiNames, checkServiceRange } from './validate-api-names';
import { checkStacks, checkTierHasWorkloads } from './validate-consistency';
import { checkFanout, checkUpstreams, checkZoneTopology } from './validate-dns-topology';
import { shapeIssues } from './validate-fields';
import { checkHardening } from './validate-hardening';
import { checkPodNetwork } from './validate-pod-network';
import { checkZones, checkZonesAcrossClusters } from './validate-zones';

export { FANOUT_MAX_UPSTREAMS, FORWARD_MAX_UPSTREAMS } from './validate-dns-topology';
export { fixedIps } from './validate-addresses';

/** Every problem of a fleet, in a stable order. An empty list means the fleet is valid. */
export function fleetIssues(fleet: Fleet): FleetIssue[] {
  // Every rule below relies on the shape (types, enums, known fields); a fleet file tsx ran without
  // type-checking is checked for it first, and only its shape problems are reported.
  const shape = shapeIssues(fleet);
  if (shape.length > 0) return shape;
  const issues: FleetIssue[] = [];
  const fleetReport: ReportIssue = (i) => issues.push(i);
  checkFleetFields(fleet, fleetReport);
  checkTiers(fleet, fleetReport, issues);
  for (const [index, c] of fleet.clusters.entries()) {
    const report: ReportIssue = (i) => issues.push({ cluster: c.name || `#${index}`, ...i });
    checkCluster(fleet, c, report);
  }
  checkAcrossClusters(fleet, issues);
  checkAddressesAcrossClusters(fleet, issues);
  checkZoneTopology(fleet, issues);
  checkFanout(fleet, issues);
  checkTierHasWorkloads(fleet, issues);
  checkZonesAcrossClusters(fleet, issues);
  checkHardening(fleet, issues);
  return issues;
}

/** Throws a FleetValidationError naming every problem; returns the fleet when it is valid. */
export function validateFleet(fleet: Fleet): Fleet {
  const issues = fleetIssues(fleet);
  if (issues.length > 0) throw new FleetValidationError(issues);
  return fleet;
}

function checkFleetFields(fleet: Fleet, report: ReportIssue): void {
  if (!isDnsName(fleet.domain)) {
    report({ field: 'domain', problem: `"${fleet.domain}" is not a valid lower-case DNS name`, fix: 'use a name such as platform.example, without a trailing dot' });
  }
  // file:/// (a repository on the repo-server's own disk) and git:// (git daemon: read-only, no
  // authentication) are what the lab (lab/) syncs from.
  if (!/^(https:\/\/|ssh:\/\/|git@|git:\/\/|file:\/\/\/)[^\s]+$/.test(fleet.git.repoURL)) {
    report({ field: 'git.repoURL', problem: `"${fleet.git.repoURL}" is not a repository URL Argo CD can clone`, fix: 'use an https://, ssh://, git@, git:// or file:/// URL' });
  }
  if (fleet.git.revision.trim() === '') {
    report({ field: 'git.revision', problem: 'is empty', fix: 'name a branch, tag or commit, e.g. main' });
  }
  const base = fleet.git.basePath;
  if (base.startsWith('/') || base.endsWith('/') || base.split('/').includes('..') || base.split('/').includes('') || base.trim() === '') {
    report({ field: 'git.basePath', problem: `"${base}" is not a relative path inside the repository`, fix: 'use a relative path such as charts-out' });
  }
  if (fleet.clusters.length === 0) {
    report({ field: 'clusters', problem: 'the fleet has no clusters', fix: 'add at least one management cluster per tier' });
  }
}

function checkTiers(fleet: Fleet, report: ReportIssue, issues: FleetIssue[]): void {
  const seen = new Set<string>();
  for (const [i, tier] of fleet.tiers.entries()) {
    const field = `tiers[${i}]`;
    if (!isDnsLabel(tier.name)) report({ field: `${field}.name`, problem: `"${tier.name}" is not a DNS label`, fix: 'use lower-case letters, digits and dashes, e.g. prod' });
    if (seen.has(tier.name)) report({ field: `${field}.name`, problem: `tier "${tier.name}" is declared twice`, fix: 'remove the duplicate tier' });
    seen.add(tier.name);
    if (!isDnsName(tier.zone)) {
      report({ field: `${field}.zone`, problem: `"${tier.zone}" is not a valid DNS name`, fix: `use a name such as ${tier.name}.${fleet.domain}` });
    } else if (!isInZone(tier.zone, fleet.domain) || tier.zone === fleet.domain) {
      report({ field: `${field}.zone`, problem: `zone "${tier.zone}" is outside the platform domain "${fleet.domain}"`, fix: `use a zone below ${fleet.domain}, e.g. ${tier.name}.${fleet.domain}` });
    }
    if (!Number.isInteger(tier.ttl) || tier.ttl < 1 || tier.ttl > 3600) {
      report({ field: `${field}.ttl`, problem: `${tier.ttl} is not a TTL in seconds between 1 and 3600 (the gateway's k8s_gateway refuses more than 3600 and would not start)`, fix: 'use a small TTL such as 30 so moved workloads are found quickly' });
    }
    const managers = fleet.clusters.filter((c) => c.tier === tier.name && c.role === 'management');
    if (managers.length === 0) {
      report({ field: `${field}`, problem: `tier "${tier.name}" has no management cluster, so nobody serves its zone`, fix: `give exactly one cluster of tier "${tier.name}" role: 'management'` });
    } else if (managers.length > 1) {
      for (const m of managers.slice(1)) {
        issues.push({ cluster: m.name, field: 'role', problem: `tier "${tier.name}" already has management cluster "${managers[0].name}"`, fix: `make "${m.name}" a workload cluster or move it to another tier` });
      }
    }
  }
}

function checkCluster(fleet: Fleet, c: Cluster, report: ReportIssue): void {
  if (!isDnsLabel(c.name)) report({ field: 'name', problem: `"${c.name}" is not a DNS label`, fix: 'use lower-case letters, digits and dashes, at most 63 characters, e.g. prod-x' });
  if (!fleet.tiers.some((t) => t.name === c.tier)) {
    report({ field: 'tier', problem: `tier "${c.tier}" is not declared in the fleet`, fix: `use one of: ${fleet.tiers.map((t) => t.name).join(', ')}; or add the tier to the fleet` });
  }
  if (c.role !== 'management' && c.role !== 'workload') {
    report({ field: 'role', problem: `"${String(c.role)}" is not a role`, fix: "use 'management' or 'workload'" });
  }
  if (!/^https:\/\/[^\s/]+(:\d+)?(\/.*)?$/.test(c.apiServer)) {
    report({ field: 'apiServer', problem: `"${c.apiServer}" is not an https:// URL`, fix: 'write the API server URL, e.g. https://10.10.0.10:6443' });
  }
  if (c.bootstrap?.mode !== undefined && c.bootstrap.mode !== 'argocd' && c.bootstrap.mode !== 'direct') {
    report({ field: 'bootstrap.mode', problem: `"${String(c.bootstrap.mode)}" is not a bootstrap mode`, fix: "use 'argocd' (install Argo CD and the root Application) or 'direct' (apply charts-out with Pulumi)" });
  }
  const pools = checkPools(c, report);
  checkFixedIps(c, pools, report);
  checkClusterDns(c, report);
  checkUpstreams(fleet, c, report);
  checkZones(fleet, c, report);
  checkPodNetwork(c, pools, report);
  checkApiNames(c, report);
  checkServiceRange(c, report);
  checkStacks(c, report);
}

function checkClusterDns(c: Cluster, report: ReportIssue): void {
  const scaling = c.dns.autoscaling;
  if (scaling) {
    const min = scaling.minReplicas ?? 2;
    if (!Number.isInteger(min) || min < 1) report({ field: 'dns.autoscaling.minReplicas', problem: `${min} is not a replica count of at least 1`, fix: 'use 2 or more, so DNS survives a node loss' });
    if (!Number.isInteger(scaling.maxReplicas) || scaling.maxReplicas < min) report({ field: 'dns.autoscaling.maxReplicas', problem: `${scaling.maxReplicas} is below minReplicas ${min} (or not an integer), which the API server refuses for a HorizontalPodAutoscaler`, fix: `use an integer of at least ${min}` });
    const target = scaling.targetCpuUtilization;
    if (target !== undefined && (!Number.isInteger(target) || target < 1)) report({ field: 'dns.autoscaling.targetCpuUtilization', problem: `${target} is not a percentage of at least 1`, fix: 'use a whole percentage such as 70' });
    if (c.dns.daemonSet) report({ field: 'dns.autoscaling', problem: 'a DaemonSet runs one pod per node and cannot be autoscaled', fix: 'remove autoscaling, or dns.daemonSet' });
  }
  if (!isDnsName(c.clusterDomain)) report({ field: 'dns.clusterDomain', problem: `"${c.clusterDomain}" is not a valid DNS name`, fix: 'use the kubelet\'s cluster domain, usually cluster.local' });
  if (!isIp(c.dns.serviceIP)) report({ field: 'dns.serviceIP', problem: `"${c.dns.serviceIP}" is not an IP address`, fix: "write the kubelet's clusterDNS address, e.g. 10.96.0.10" });
}

function checkAcrossClusters(fleet: Fleet, issues: FleetIssue[]): void {
  const byName = new Set<string>();
  for (const c of fleet.clusters) {
    if (byName.has(c.name)) issues.push({ cluster: c.name, field: 'name', problem: 'another cluster has the same name; their charts-out folders would collide', fix: 'give each cluster a unique name' });
    byName.add(c.name);
  }
}
