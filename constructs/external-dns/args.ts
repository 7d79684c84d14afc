import type { ExternalDnsSource } from './sources';

/** How external-dns reconciles (v0.22 requires it explicitly). */
export type ExternalDnsPolicy = 'sync' | 'upsert-only' | 'create-only';

/**
 * Annotations external-dns reads (`<prefix>hostname`, `<prefix>ttl`). Not v0.22's default GA prefix
 * (`external-dns.kubernetes.io/`) but the long-standing alpha one, because k8s_gateway (the cluster
 * gateway) reads `external-dns.alpha.kubernetes.io/hostname` (and `coredns.io/hostname`) and nothing
 * else: so one annotation, `external-dns.alpha.kubernetes.io/hostname: a.<tier zone>,a.<PowerDNS zone>`,
 * publishes a Service through both paths, each taking the names of its own zones. Services annotated
 * with the GA prefix are ignored by both; rename the annotation (see README, "Publishing a Service").
 */
export const EXTERNAL_DNS_ANNOTATION_PREFIX = 'external-dns.alpha.kubernetes.io/';
/** The hostname annotation both DNS paths read. */
export const HOSTNAME_ANNOTATION = `${EXTERNAL_DNS_ANNOTATION_PREFIX}hostname`;
/** Where external-dns serves /healthz and /metrics. */
export const EXTERNAL_DNS_METRICS_PORT = 7979;
/**
 * Ownership TXT records are named `_extdns-<type>.<name>`: with the record type in a prefix that ends in
 * a dot, the TXT of a record at the zone apex stays inside the zone (the default `a-<name>` would not).
 */
export const EXTERNAL_DNS_TXT_PREFIX = '_extdns-%{record_type}.';

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
