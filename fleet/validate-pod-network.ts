import { vniIssues } from '../constructs/mizar/vpc';
import type { Cluster } from './cluster';
import type { ReportIssue } from './errors';
import { contains, IpRange, isIp, overlaps, parseCidr, within } from '../constructs/common/ip';
import { validateClusterCniNetworkProps } from '../constructs/cni/cluster-network';

/** The pod network of a cluster: pod and Service ranges, and Mizar's VPC or the CNI chain on top. */
export function checkPodNetwork(c: Cluster, pools: { name: string; range: IpRange }[], report: ReportIssue): void {
  const net = c.podNetwork;
  const ranges: { field: string; range: IpRange }[] = [];
  for (const key of ['podCidr', 'serviceCidr'] as const) {
    const range = parseCidr(net[key]);
    if (!range) report({ field: `podNetwork.${key}`, problem: `"${net[key]}" is not a CIDR`, fix: 'write a CIDR without host bits, e.g. 10.244.0.0/16' });
    else ranges.push({ field: `podNetwork.${key}`, range });
  }
  if (ranges.length === 2 && ranges[0].range.family !== ranges[1].range.family) {
    report({ field: 'podNetwork.podCidr', problem: `${net.podCidr} is IPv${ranges[0].range.family} but the Service range ${net.serviceCidr} is IPv${ranges[1].range.family}; a single-stack cluster gives pods and Services one family`, fix: 'use pod and Service ranges of the same address family' });
  }
  if (ranges.length === 2 && overlaps(ranges[0].range, ranges[1].range)) {
    report({ field: 'podNetwork.serviceCidr', problem: `${net.serviceCidr} overlaps podCidr ${net.podCidr}`, fix: 'use disjoint ranges for pods and Services' });
  }
  for (const r of ranges) {
    for (const p of pools) {
      if (overlaps(r.range, p.range)) report({ field: r.field, problem: `${r.range.text} overlaps MetalLB pool "${p.name}" (${p.range.text})`, fix: 'keep LoadBalancer addresses outside the pod and Service ranges' });
    }
  }
  const service = ranges.find((r) => r.field === 'podNetwork.serviceCidr');
  if (service && isIp(c.dns.serviceIP) && !contains(service.range, c.dns.serviceIP)) {
    report({ field: 'dns.serviceIP', problem: `${c.dns.serviceIP} is outside the Service range ${service.range.text}`, fix: 'pick the address the kubelet uses as clusterDNS, inside podNetwork.serviceCidr' });
  }
  if (net.mizar) {
    const vpc = parseCidr(net.mizar.vpcCidr);
    if (!vpc) report({ field: 'podNetwork.mizar.vpcCidr', problem: `"${net.mizar.vpcCidr}" is not a CIDR`, fix: 'write a CIDR without host bits, e.g. 20.0.0.0/8' });
    if (net.mizar.subnetCidr !== undefined) {
      const subnet = parseCidr(net.mizar.subnetCidr);
      if (!subnet) report({ field: 'podNetwork.mizar.subnetCidr', problem: `"${net.mizar.subnetCidr}" is not a CIDR`, fix: 'write a CIDR without host bits' });
      else if (vpc && !within(subnet, vpc)) report({ field: 'podNetwork.mizar.subnetCidr', problem: `${subnet.text} is not inside the VPC ${vpc.text}`, fix: 'pick a subnet inside vpcCidr' });
    }
    if (vpc) checkMizarVpc(c, vpc, ranges, pools, report);
  }
  if (net.cni) checkCni(c, ranges, report);
}

function checkMizarVpc(c: Cluster, vpc: IpRange, ranges: { field: string; range: IpRange }[], pools: { name: string; range: IpRange }[], report: ReportIssue): void {
  const mizar = c.podNetwork.mizar!;
  if (vpc.family !== 4) report({ field: 'podNetwork.mizar.vpcCidr', problem: `${vpc.text} is not IPv4; Mizar networks are IPv4 only`, fix: 'use an IPv4 CIDR, e.g. 172.20.0.0/16' });
  const service = ranges.find((r) => r.field === 'podNetwork.serviceCidr');
  if (service && overlaps(vpc, service.range)) report({ field: 'podNetwork.mizar.vpcCidr', problem: `${vpc.text} overlaps the Service range ${service.range.text}`, fix: 'give pods (the VPC) and Services disjoint ranges' });
  for (const p of pools) {
    if (overlaps(vpc, p.range)) report({ field: 'podNetwork.mizar.vpcCidr', problem: `${vpc.text} overlaps MetalLB pool "${p.name}" (${p.range.text})`, fix: 'keep LoadBalancer addresses outside the VPC' });
  }
  if (mizar.vni !== undefined) for (const issue of vniIssues(mizar.vni)) report({ ...issue, field: `podNetwork.mizar.${issue.field}` });
}

function checkCni(c: Cluster, ranges: { field: string; range: IpRange }[], report: ReportIssue): void {
  const cni = c.podNetwork.cni!;
  if (c.podNetwork.mizar) {
    report({ field: 'podNetwork.cni', problem: "Mizar owns the nodes' CNI configuration: its daemon deletes every other file in /etc/cni/net.d when it starts", fix: 'remove podNetwork.cni, or podNetwork.mizar' });
  }
  if (cni.nodes === undefined) {
    report({
      field: 'podNetwork.cni.nodes',
      problem: 'is missing: the CNI install gives each listed node its own host-local range and no pod network to any other node, so without the list no node gets one',
      fix: "list the cluster's nodes by the name the kubelet registers, each with its own subnet inside podCidr, e.g. nodes: [{ name: 'node-1', subnet: '10.244.0.0/24' }]",
    });
    return;
  }
  const pods = ranges.find((r) => r.field === 'podNetwork.podCidr');
  for (const [i, node] of cni.nodes.entries()) {
    const subnet = parseCidr(node.subnet);
    if (subnet && pods && !within(subnet, pods.range)) {
      report({ field: `podNetwork.cni.nodes[${i}].subnet`, problem: `${subnet.text} of node "${node.name}" is not inside podCidr ${pods.range.text}`, fix: 'pick a range inside podCidr that no other node uses' });
    }
  }
  // The CNI layer's own check: node names and disjoint subnets, unknown or repeated plugins, a
  // cniVersion a plugin does not speak.
  const issues = validateClusterCniNetworkProps({ nodes: cni.nodes, chain: cni.chain, cniVersion: cni.cniVersion });
  for (const issue of issues) report({ ...issue, field: `podNetwork.cni.${issue.field}` });
}
