import { Construct } from 'constructs';
import { componentLabels } from '../common/workload';
import type { CoreDns } from '../coredns/coredns';
import { PowerDns } from '../powerdns/powerdns';
import { SCRAPE_INTERVAL } from './names';
import { PodMonitor, ServiceMonitor } from '../imports/monitoring.coreos.com';

/**
 * A Prometheus Operator ServiceMonitor for one CoreDNS: scrapes its `<name>-metrics` Service on the
 * `metrics` port (the `prometheus` plugin of every server block). Only for clusters that run the
 * operator (`monitoring.prometheusOperator`): without its CRD the object would fail the sync.
 */
export class CoreDnsServiceMonitor extends Construct {
  readonly apiObject: ServiceMonitor;

  constructor(scope: Construct, id: string, props: { readonly coredns: CoreDns }) {
    super(scope, id);
    const { coredns } = props;
    this.apiObject = new ServiceMonitor(this, 'Resource', {
      metadata: { name: coredns.name, namespace: coredns.namespace, labels: componentLabels(coredns.name, 'dns') },
      spec: {
        // The metrics Service is the only one of this CoreDNS with a `metrics` port.
        selector: { matchLabels: { 'app.kubernetes.io/name': coredns.name, 'app.kubernetes.io/part-of': 'fleetnet' } },
        endpoints: [{ port: 'metrics', path: '/metrics', interval: SCRAPE_INTERVAL }],
      },
    });
  }
}

/**
 * A PodMonitor for the external-dns sidecar of PowerDNS (`edns-metrics`: sync errors, last sync
 * time). PowerDNS's own statistics stay unexposed: its webserver is the API, bound to 127.0.0.1.
 */
export class ExternalDnsPodMonitor extends Construct {
  readonly apiObject: PodMonitor;

  constructor(scope: Construct, id: string, props: { readonly powerdns: PowerDns }) {
    super(scope, id);
    this.apiObject = new PodMonitor(this, 'Resource', {
      metadata: { name: `${PowerDns.NAME}-external-dns`, namespace: props.powerdns.namespace, labels: componentLabels(PowerDns.NAME, 'dns') },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': PowerDns.NAME } },
        podMetricsEndpoints: [{ port: 'edns-metrics', path: '/metrics', interval: SCRAPE_INTERVAL }],
      },
    });
  }
}
