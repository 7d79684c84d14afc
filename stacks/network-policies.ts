import type { Construct } from 'constructs';
import type { CoreDns } from '../constructs/coredns/coredns';
import type { MetalLb } from '../constructs/metallb/metallb';
import { IngressPolicy, PolicyPort } from '../constructs/network-policy/ingress-policy';
import type { PowerDns } from '../constructs/powerdns/powerdns';
import type { Cluster } from '../fleet/cluster';

/**
 * The ingress NetworkPolicies of the stacks (ClusterProps.networkPolicies). DNS is open to every
 * client: every Pod resolves through cluster DNS, and the company's resolvers, the tier authorities
 * of other clusters and people's laptops query the gateways, authorities and PowerDNS from outside the
 * cluster, at addresses the fleet does not list. Metrics are for Prometheus alone.
 */

const DNS_PORTS: readonly PolicyPort[] = [{ port: 'dns', protocol: 'UDP' }, { port: 'dns-tcp', protocol: 'TCP' }];

function metricsFrom(cluster: Cluster, ports: readonly PolicyPort[]) {
  return [{ ports, namespaces: [cluster.monitoringNamespace] }];
}

/**
 * A CoreDNS (cluster DNS, gateway, authority): DNS from everyone, `metrics` from the monitoring namespace.
 * `alsoOpen` adds ports by number, e.g. 53 of cluster DNS, which kubeadm's Service reaches by number
 * during a takeover.
 */
export function coreDnsIngressPolicy(scope: Construct, cluster: Cluster, coredns: CoreDns, alsoOpen: readonly PolicyPort[] = []): IngressPolicy | undefined {
  if (!cluster.renderNetworkPolicies) return undefined;
  return new IngressPolicy(scope, 'network-policy', {
    workload: coredns.workload,
    openPorts: [...DNS_PORTS, ...alsoOpen],
    namespacePorts: metricsFrom(cluster, [{ port: 'metrics' }]),
  });
}

/**
 * PowerDNS: DNS from everyone, external-dns's metrics from the monitoring namespace. Its API (the
 * webserver) is bound to 127.0.0.1 for the external-dns sidecar in the same Pod, so no port opens it.
 */
export function powerDnsIngressPolicy(scope: Construct, cluster: Cluster, powerdns: PowerDns): IngressPolicy | undefined {
  if (!cluster.renderNetworkPolicies) return undefined;
  return new IngressPolicy(scope, 'network-policy', {
    workload: powerdns.deployment,
    openPorts: DNS_PORTS,
    namespacePorts: metricsFrom(cluster, [{ port: 'edns-metrics' }]),
  });
}

/**
 * The MetalLB controller: its webhook open, metrics from the monitoring namespace. The API server
 * calls the webhook from a control-plane address the fleet does not know (a node's, or a managed
 * control plane's range), and the API server refuses MetalLB objects while it cannot reach it; the
 * webhook only validates, behind TLS. The speaker runs in the host network, where no NetworkPolicy applies.
 */
export function metalLbIngressPolicy(scope: Construct, cluster: Cluster, metallb: MetalLb): IngressPolicy | undefined {
  if (!cluster.renderNetworkPolicies) return undefined;
  return new IngressPolicy(scope, 'network-policy', {
    workload: metallb.controller.deployment,
    openPorts: [{ port: 'webhook' }],
    namespacePorts: metricsFrom(cluster, [{ port: 'metrics' }]),
  });
}
