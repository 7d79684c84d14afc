/**
 * Typed L1s of the two Prometheus Operator kinds we render, written by hand with only the fields we
 * set (monitoring.coreos.com/v1): the operator's CRDs are not ours and not in the module cache, so
 * `cdk8s import` has nothing to read here.
 */
import { ApiObject } from 'cdk8s';
import type { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { MONITORING_API } from './names';

/** One scrape endpoint: a named port of the selected Services or Pods. */
export interface ScrapeEndpoint {
  readonly port: string;
  readonly path: string;
  /** A Prometheus duration, e.g. `30s`. */
  readonly interval: string;
}

/** The Services or Pods a monitor scrapes. */
export interface MonitorSelector {
  readonly selector: { readonly matchLabels: Record<string, string> };
}

export interface ServiceMonitorProps {
  readonly metadata: k8s.ObjectMeta;
  readonly spec: MonitorSelector & { readonly endpoints: readonly ScrapeEndpoint[] };
}

export interface PodMonitorProps {
  readonly metadata: k8s.ObjectMeta;
  readonly spec: MonitorSelector & { readonly podMetricsEndpoints: readonly ScrapeEndpoint[] };
}

/** monitoring.coreos.com/v1 ServiceMonitor. */
export class ServiceMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: ServiceMonitorProps) { super(scope, id, { apiVersion: MONITORING_API, kind: 'ServiceMonitor', ...props }); }
}

/** monitoring.coreos.com/v1 PodMonitor. */
export class PodMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: PodMonitorProps) { super(scope, id, { apiVersion: MONITORING_API, kind: 'PodMonitor', ...props }); }
}
