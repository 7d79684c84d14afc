/** Names external-dns is given or has compiled in: annotations, ports, the TXT record prefix. */

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
