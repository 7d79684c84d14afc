import { isDnsName } from '../common/dns-name';
import { overlaps, parseCidr, IpRange } from '../common/ip';
import type { PropIssue } from '../common/prop-issues';

/**
 * One node that runs the CNI install, and the range its pods get addresses from. host-local hands out
 * addresses from one node's own files, so two nodes never share a range.
 */
export interface CniNode {
  /** The Node object's name (`metadata.name`, what the kubelet registers), a DNS-1123 subdomain. */
  readonly name: string;
  /** The node's pod range (host-local), disjoint from every other node's. */
  readonly subnet: string;
}

/**
 * What is wrong with a node list, by prop (`nodes`, `nodes[i].name`, `nodes[i].subnet`): an empty list,
 * names that are not node names or repeat, subnets that are not CIDRs or overlap another node's.
 */
export function cniNodeIssues(nodes: readonly CniNode[]): PropIssue[] {
  const issues: PropIssue[] = [];
  if (nodes.length === 0) {
    issues.push({ field: 'nodes', problem: 'no node is listed, so no node gets a pod network', fix: 'list every node that runs pods off the host network, each with its own subnet' });
  }
  const names = new Map<string, number>();
  const ranges: { i: number; range: IpRange }[] = [];
  for (const [i, node] of nodes.entries()) {
    if (!isDnsName(node.name)) {
      issues.push({ field: `nodes[${i}].name`, problem: `"${node.name}" is not a node name`, fix: 'write the name the kubelet registers (kubectl get nodes): lower-case letters, digits, "-" and ".", at most 253 characters' });
    } else if (names.has(node.name)) {
      issues.push({ field: `nodes[${i}].name`, problem: `node "${node.name}" is already listed at nodes[${names.get(node.name)}]`, fix: 'list each node once' });
    } else names.set(node.name, i);
    const range = parseCidr(node.subnet);
    if (!range) {
      issues.push({ field: `nodes[${i}].subnet`, problem: `"${node.subnet}" is not a CIDR`, fix: 'write a CIDR without host bits, e.g. 10.244.1.0/24' });
      continue;
    }
    const clash = ranges.find((r) => overlaps(r.range, range));
    if (clash) {
      issues.push({
        field: `nodes[${i}].subnet`,
        problem: `${range.text} of node "${node.name}" overlaps ${clash.range.text} of node "${nodes[clash.i].name}" (nodes[${clash.i}]), so both nodes would hand out the same pod addresses`,
        fix: 'give every node a disjoint subnet, e.g. one /24 per node',
      });
    }
    ranges.push({ i, range });
  }
  return issues;
}
