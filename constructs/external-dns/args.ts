import { EXTERNAL_DNS_ANNOTATION_PREFIX, EXTERNAL_DNS_METRICS_PORT, EXTERNAL_DNS_TXT_PREFIX } from './names';
import type { ExternalDnsSource } from './rbac';

/** How external-dns reconciles (v0.22 requires it explicitly). */
export type ExternalDnsPolicy = 'sync' | 'upsert-only' | 'create-only';

export interface ExternalDnsPdnsArgsProps {
  /** TXT owner id: unique per writer, so two clusters never delete each other's records. */
  readonly ownerId: string;
  /** Zones external-dns may write to (`--domain-filter`), each existing in PowerDNS. */
  readonly domains: readonly string[];
  /** URL of the PowerDNS API. */
  readonly pdnsServer: string;
  /** @default ['service', 'ingress'] */
  readonly sources?: readonly ExternalDnsSource[];
  /** @default 'sync' */
  readonly policy?: ExternalDnsPolicy;
  /**
   * Seconds between full reconciliations, on top of the event-driven ones.
   * @default 30
   */
  readonly intervalSeconds?: number;
}

/**
 * The arguments of external-dns with the PowerDNS provider. The API key is not among them: it comes
 * from the environment (EXTERNAL_DNS_PDNS_API_KEY), so it never shows in the process list.
 */
export function externalDnsPdnsArgs(props: ExternalDnsPdnsArgsProps): string[] {
  if (props.domains.length === 0) throw new Error('external-dns needs at least one zone in domains; without --domain-filter it would write to every zone of the server');
  const sources = props.sources ?? ['service', 'ingress'];
  return [
    '--provider=pdns',
    `--pdns-server=${props.pdnsServer}`,
    '--pdns-server-id=localhost',
    `--policy=${props.policy ?? 'sync'}`,
    '--registry=txt',
    `--txt-owner-id=${props.ownerId}`,
    `--txt-prefix=${EXTERNAL_DNS_TXT_PREFIX}`,
    '--txt-wildcard-replacement=wildcard',
    ...props.domains.map((d) => `--domain-filter=${d}`),
    ...sources.map((s) => `--source=${s}`),
    // Only LoadBalancer addresses are reachable from outside the cluster; and the service source then
    // needs no EndpointSlice, Pod or Node informers (see externalDnsRbacRules).
    ...(sources.includes('service') ? ['--service-type-filter=LoadBalancer'] : []),
    `--annotation-prefix=${EXTERNAL_DNS_ANNOTATION_PREFIX}`,
    '--events',
    `--interval=${props.intervalSeconds ?? 30}s`,
    `--metrics-address=:${EXTERNAL_DNS_METRICS_PORT}`,
    '--log-format=json',
  ];
}
