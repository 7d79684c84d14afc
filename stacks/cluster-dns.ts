import type { Construct } from 'constructs';
import { ClusterDns, ClusterDnsProps } from '../constructs/coredns/cluster-dns';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import { CoreDnsServiceMonitor } from '../constructs/monitoring/monitors';
import { FleetStack, FleetStackProps, SyncSettings } from './fleet-stack';
import { coreDnsIngressPolicy } from './network-policies';

/** ClusterDns props of a cluster: its DNS settings, and its tier zone as a stub zone to every authority of the tier. */
export function clusterDnsPropsOf(cluster: Cluster, fleet: Fleet): ClusterDnsProps {
  const tier = fleet.tierOf(cluster);
  // Every authority of the tier: forward spreads queries over them and skips one that fails.
  const authorities = fleet.authoritiesOf(tier).map((a) => a.ip);
  if (authorities.length === 0) throw new Error(`cluster "${cluster.name}": tier "${tier.name}" has no authority, so its zone would have no server. Fix: give the management cluster of the tier dns.authorityIP`);
  const { dns } = cluster;
  return {
    serviceIP: dns.serviceIP,
    upstreams: dns.upstreams,
    clusterDomain: cluster.clusterDomain,
    stubZones: [{ zone: tier.zone, servers: authorities }],
    daemonSet: dns.daemonSet,
    autoscaling: dns.autoscaling,
  };
}

/** The cluster DNS of every cluster. */
export class ClusterDnsStack extends FleetStack {
  static readonly stackName = 'cluster-dns';
  static readonly syncWave = 30;
  // kube-dns gone is every pod of the cluster unable to resolve anything.
  override readonly sync: SyncSettings = { protect: true };

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, ClusterDnsStack.stackName, props);
    const dns = new ClusterDns(this, 'cluster-dns', clusterDnsPropsOf(props.cluster, props.fleet));
    if (props.cluster.monitoring?.prometheusOperator) new CoreDnsServiceMonitor(this, 'monitor', { coredns: dns.coredns });
    // 53 by number too: kubeadm's Service, until Argo CD replaces it, sends our Pods their queries there.
    coreDnsIngressPolicy(this, props.cluster, dns.coredns, [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  }
}
