import type { Construct } from 'constructs';
import { ClusterDns } from '../constructs/coredns/cluster-dns';
import { CoreDnsServiceMonitor } from '../constructs/monitoring/monitors';
import { FleetStack, FleetStackProps, SyncSettings } from './fleet-stack';

/** The cluster DNS of every cluster. */
export class ClusterDnsStack extends FleetStack {
  static readonly stackName = 'cluster-dns';
  static readonly syncWave = 30;
  // kube-dns gone is every pod of the cluster unable to resolve anything.
  override readonly sync: SyncSettings = { protect: true };

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, ClusterDnsStack.stackName, props);
    const dns = new ClusterDns(this, 'cluster-dns', { cluster: props.cluster, fleet: props.fleet });
    if (props.cluster.monitoring?.prometheusOperator) new CoreDnsServiceMonitor(this, 'monitor', { coredns: dns.coredns });
  }
}
