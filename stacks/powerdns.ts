import type { Construct } from 'constructs';
import { ExternalDnsPodMonitor } from '../constructs/monitoring/monitors';
import { PowerDns } from '../constructs/powerdns/powerdns';
import { FleetStack, FleetStackProps } from './fleet-stack';

/** The stateless PowerDNS of a cluster with `dns.powerdnsIP`: zones from Git, records from the cluster. */
export class PowerDnsStack extends FleetStack {
  static readonly stackName = 'powerdns';
  static readonly syncWave = 50;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, PowerDnsStack.stackName, props);
    const powerdns = new PowerDns(this, 'powerdns', { cluster: props.cluster });
    if (props.cluster.monitoring?.prometheusOperator) new ExternalDnsPodMonitor(this, 'monitor', { powerdns });
  }
}
