import type { Construct } from 'constructs';
import { ExternalDnsPodMonitor } from '../constructs/monitoring/monitors';
import { PowerDns, PowerDnsProps } from '../constructs/powerdns/powerdns';
import type { Cluster } from '../fleet/cluster';
import { FleetStack, FleetStackProps } from './fleet-stack';
import { powerDnsIngressPolicy } from './network-policies';

/** PowerDns props of a cluster: `dns.powerdnsIP` checked against its pools, `dns.zones`, its name as the TXT owner id. */
export function powerDnsPropsOf(cluster: Cluster): PowerDnsProps {
  const ip = cluster.dns.powerdnsIP;
  if (!ip) throw new Error(`cluster "${cluster.name}": PowerDns needs dns.powerdnsIP. Fix: give the cluster a fixed PowerDNS IP inside one of its pools`);
  const zones = cluster.dns.zones ?? [];
  if (zones.length === 0) throw new Error(`cluster "${cluster.name}": PowerDns has no zone to serve. Fix: add dns.zones to the cluster`);
  return { ip, zones, ownerId: cluster.name, pools: cluster.loadBalancer.pools, clusterName: cluster.name };
}

/** The stateless PowerDNS of a cluster with `dns.powerdnsIP`: zones from Git, records from the cluster. */
export class PowerDnsStack extends FleetStack {
  static readonly stackName = 'powerdns';
  static readonly syncWave = 50;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, PowerDnsStack.stackName, props);
    const powerdns = new PowerDns(this, 'powerdns', powerDnsPropsOf(props.cluster));
    if (props.cluster.monitoring?.prometheusOperator) new ExternalDnsPodMonitor(this, 'monitor', { powerdns });
    powerDnsIngressPolicy(this, props.cluster, powerdns);
  }
}
