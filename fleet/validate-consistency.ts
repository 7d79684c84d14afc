/**
 * The model and the stacks agree: a cluster's stacks are the ones its role and settings need, so no
 * stack fails at render time and no cluster is a target (of fanout, of a stub zone) it does not serve.
 */
import type { Cluster } from './cluster';
import type { FleetIssue, ReportIssue } from './errors';
import type { Fleet } from './fleet';

/** The stack names fleetnet renders for the model's roles and settings; each must agree with the model. */
const GATEWAY = 'cluster-gateway';
const AUTHORITY = 'tier-authority';
const POWERDNS = 'powerdns';
const MIZAR = 'mizar';
const CNI = 'cni';
/** Folder of the Argo CD Applications; no stack may take it. */
const RESERVED = 'argocd';

/** A cluster that lists its `stacks` lists what its role and settings need, each once. */
export function checkStacks(c: Cluster, report: ReportIssue): void {
  if (c.stacks === undefined) return;
  const names = c.stacks.map((s) => s.stackName);
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (name === RESERVED) report({ field: `stacks[${i}]`, problem: `stack name "${name}" is the folder of the Argo CD Applications`, fix: 'give the stack another stackName' });
    if (seen.has(name)) report({ field: `stacks[${i}]`, problem: `stack "${name}" is listed twice`, fix: 'list each stack once' });
    seen.add(name);
  }
  const has = (name: string) => seen.has(name);
  const need = (on: boolean, name: string, problem: string, fix: string) => {
    if (on && !has(name)) report({ field: 'stacks', problem, fix });
  };
  const refuse = (on: boolean, name: string, problem: string, fix: string) => {
    if (on && has(name)) report({ field: `stacks[${names.indexOf(name)}]`, problem, fix });
  };
  need(c.role === 'workload', GATEWAY, 'a workload cluster without ClusterGatewayStack would still be a fanout target of its tier authority, which would wait on it for every name', 'add ClusterGatewayStack to stacks, or leave stacks out for the defaults');
  need(c.role === 'management', AUTHORITY, "the management cluster without TierAuthorityStack serves no tier zone, while corporate DNS and every cluster DNS of the tier send the zone to dns.authorityIP", 'add TierAuthorityStack to stacks, or leave stacks out for the defaults');
  refuse(c.role !== 'workload', GATEWAY, 'ClusterGatewayStack runs on workload clusters only (it needs dns.gatewayIP)', 'remove it from stacks');
  need(c.dns.secondaryAuthorityIP !== undefined, AUTHORITY, 'dns.secondaryAuthorityIP is set, but TierAuthorityStack is not in stacks, so the name server the tier zone delegates to there would not answer', 'add TierAuthorityStack to stacks');
  refuse(c.role !== 'management' && c.dns.secondaryAuthorityIP === undefined, AUTHORITY, 'TierAuthorityStack runs on the management cluster of a tier, or a workload cluster with dns.secondaryAuthorityIP', 'remove it from stacks, or set dns.secondaryAuthorityIP');
  need(c.dns.powerdnsIP !== undefined, POWERDNS, 'dns.powerdnsIP and dns.zones are set, but PowerDnsStack is not in stacks, so nothing serves the zones', 'add PowerDnsStack to stacks');
  refuse(c.dns.powerdnsIP === undefined, POWERDNS, 'PowerDnsStack needs dns.powerdnsIP and dns.zones', 'set them, or remove PowerDnsStack');
  need(c.podNetwork.mizar !== undefined, MIZAR, 'podNetwork.mizar is set, but MizarStack is not in stacks, so the cluster gets no pod network', 'add MizarStack to stacks');
  refuse(c.podNetwork.mizar === undefined, MIZAR, 'MizarStack needs podNetwork.mizar', 'set podNetwork.mizar, or remove MizarStack');
  need(c.podNetwork.cni !== undefined, CNI, 'podNetwork.cni is set, but CniStack is not in stacks, so no node gets the CNI chain', 'add CniStack to stacks');
  refuse(c.podNetwork.cni === undefined, CNI, 'CniStack needs podNetwork.cni', 'set podNetwork.cni, or remove CniStack');
}

/**
 * A tier needs a workload cluster: the tier authority fans out to the tier's gateways, and a fanout
 * with no upstream does not start. Decided here, so the fleet is refused before rendering rather than
 * rendering an authority that could only answer NXDOMAIN.
 */
export function checkTierHasWorkloads(fleet: Fleet, issues: FleetIssue[]): void {
  for (const tier of fleet.tiers) {
    const managers = fleet.clusters.filter((c) => c.tier === tier.name && c.role === 'management');
    if (managers.length === 0 || fleet.workloadsOf(tier.name).length > 0) continue;
    issues.push({
      cluster: managers[0].name,
      field: 'tier',
      problem: `tier "${tier.name}" has a management cluster but no workload cluster, so its tier authority would have no gateway to fan out to and would answer nothing`,
      fix: `add a workload cluster with tier: '${tier.name}' and a dns.gatewayIP, or leave tier "${tier.name}" and "${managers[0].name}" out of the fleet until its first workload cluster exists`,
    });
  }
}
