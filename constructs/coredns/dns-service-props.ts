import { Construct } from 'constructs';
import type { ImageVersion } from '../catalog';
import type { ResourceSpec } from '../common/workload';
import { isDnsName } from '../common/dns-name';
import { parseIp } from '../common/ip';
import type { PropIssue } from '../common/prop-issues';
import type { LoadBalancerPoolOwner } from '../metallb/load-balancer-ip';
import { PlatformNamespace } from '../namespace/namespace';

/** Namespaces that always exist, so a DNS construct placed there creates none by default. */
const EXISTING_NAMESPACES = new Set(['kube-system', 'kube-public', 'default']);

/** Where a DNS construct runs. */
export interface DnsNamespaceProps {
  /**
   * Whether to create the namespace (with Pod Security `restricted`). Turn it off for a namespace
   * someone else manages.
   * @default - true, except for kube-system, kube-public and default, which always exist
   */
  readonly createNamespace?: boolean;
}

/** The pods of a DNS construct built on CoreDns. */
export interface CoreDnsPodProps {
  /**
   * Replicas of the Deployment.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The CoreDNS image.
   * @default images.coredns (our build, with k8s_gateway and the fan-out plugins)
   */
  readonly image?: ImageVersion;
  /**
   * Requests and limits of CoreDNS.
   * @default - CoreDns's default
   */
  readonly podResources?: ResourceSpec;
}

/** The namespace name, created as a PlatformNamespace unless it exists already (see DnsNamespaceProps). */
export function dnsNamespace(scope: Construct, name: string, create: boolean | undefined): string {
  if (create ?? !EXISTING_NAMESPACES.has(name)) new PlatformNamespace(scope, 'namespace', { name, podSecurity: 'restricted' });
  return name;
}

/** The MetalLB pools a fixed address is checked against, for props of DNS constructs. */
export interface FixedAddressPoolProps {
  /**
   * The MetalLB pools the fixed address must lie in; MetalLB leaves a Service without an address
   * outside them, so it is refused at synthesis.
   * @default - not checked
   */
  readonly pools?: readonly { readonly name: string; readonly addresses: readonly string[] }[];
  /**
   * The cluster it runs on, named in error messages.
   * @default - the construct's path
   */
  readonly clusterName?: string;
}

/** The owner fixedLoadBalancerIp checks an address against. */
export function poolOwner(scope: Construct, props: FixedAddressPoolProps): LoadBalancerPoolOwner {
  return { name: props.clusterName ?? scope.node.path, loadBalancer: props.pools && { pools: props.pools } };
}

/** Issues of a zone name and TTL, for the `validate…Props` functions. */
export function tierZoneIssues(zone: unknown, ttl: unknown): PropIssue[] {
  const out: PropIssue[] = [];
  if (typeof zone !== 'string' || !isDnsName(zone)) out.push({ field: 'zone', problem: `${JSON.stringify(zone)} is not a DNS name`, fix: 'write a lower-case name such as prod.platform.example, without the trailing dot' });
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 2147483647)) out.push({ field: 'ttl', problem: `${String(ttl)} is not a TTL in seconds`, fix: 'use an integer between 0 and 2147483647' });
  return out;
}

/** Issues of a required IP address: missing or not one. */
export function ipIssues(field: string, ip: unknown, fix: string): PropIssue[] {
  if (ip === undefined || ip === '') return [{ field, problem: 'is missing', fix }];
  if (typeof ip !== 'string' || !parseIp(ip)) return [{ field, problem: `${JSON.stringify(ip)} is not an IP address`, fix: 'write a single address such as 10.10.10.2' }];
  return [];
}

/** Issues of an optional replica count. */
export function replicaIssues(replicas: unknown): PropIssue[] {
  if (replicas === undefined || (typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 1)) return [];
  return [{ field: 'replicas', problem: `${String(replicas)} is not a positive integer`, fix: 'use 1 or more' }];
}
