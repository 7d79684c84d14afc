/**
 * The three Corefiles of the DNS journey, as typed compositions. Stacks and tests build them from the
 * fleet model; nothing here knows about YAML.
 */
import { createHash } from 'node:crypto';
import { Corefile, Directive, ServerBlock } from './corefile';
import { COREDNS_CONTAINER_PORT } from './names';
import { cache, errors, fanout, file, forward, GatewayResource, health, k8sGateway, kubernetes, loadbalance, loop, prometheus, ready, reload } from './plugins';
import { DEFAULT_FAN_OUT_PLUGIN, FanOutPlugin, FLEET_FANOUT_ATTEMPTS, fleetFanout } from './fleet-fanout';

/** Plugins every server process carries once: errors, health, ready, metrics, live reload. */
function operational(lameduckSeconds?: number): Directive[] {
  return [errors(), health({ lameduckSeconds }), ready(), prometheus(), reload()];
}

/** A zone forwarded to other servers: the tier zone goes to its authority. */
export interface StubZone {
  readonly zone: string;
  /** Server addresses (IP or IP:port). */
  readonly servers: readonly string[];
}

/**
 * Bounds of the tier authority's fan-out. fanout waits for every gateway before it may answer
 * NXDOMAIN, so a dead cluster would turn NXDOMAIN into a client time-out with fanout's defaults
 * (3 attempts x 2 s read deadline, 30 s overall). A 2 s deadline answers well inside a stub
 * resolver's 5 s.
 *
 * One attempt: fanout's per-attempt read deadline is a fixed 2 s, so within this deadline a second
 * attempt can only follow a fast failure (a gateway that refuses, ICMP port unreachable), and fanout
 * sleeps 100 ms after every failed attempt, the last one included. With 2 attempts each NXDOMAIN took
 * 200 ms while one gateway refused, with 1 it takes 100 ms (bench/RESULTS.md); a gateway back within
 * 100 ms, the only case the retry could catch, is not a restart anyone sees.
 */
export const FANOUT_TIMEOUT_MS = 2000;
export const FANOUT_ATTEMPTS = 1;
/** The cluster DNS waits this long for the authority: longer than FANOUT_TIMEOUT_MS, shorter than a stub's 5 s. */
export const STUB_READ_TIMEOUT_SECONDS = 3;
/**
 * How long the cluster DNS keeps answering tier names from expired cache entries while no authority
 * of the tier answers (RFC 8767 `serve_stale`, verify mode: only after the authorities were asked).
 * One hour rides out a maintenance window of the management cluster; the price is that a workload
 * moved during such an outage is found at its old address until an authority answers again.
 */
export const STUB_SERVE_STALE_SECONDS = 3600;
/** How long a stale answer waits for the authorities first: past the fan-out's deadline, inside a stub's 5 s. */
export const STUB_STALE_VERIFY_MS = 2500;
/**
 * How often the tier authority reads its apex zone file again. The file comes from a ConfigMap, which
 * the kubelet refreshes in the pod within about a minute; reading a three-record file costs nothing.
 */
export const APEX_ZONE_RELOAD_SECONDS = 10;

export interface ClusterDnsCorefileProps {
  readonly clusterDomain: string;
  readonly upstreams: readonly string[];
  /** @default [] */
  readonly stubZones?: readonly StubZone[];
  /**
   * Seconds answers are cached.
   * @default 30
   */
  readonly cacheTtl?: number;
  /**
   * Ports every block listens on besides COREDNS_CONTAINER_PORT (see ClusterDnsProps.takeover).
   * @default []
   */
  readonly alsoPorts?: readonly number[];
  /**
   * Seconds the server keeps answering after SIGTERM (health's `lameduck`).
   * @default 5
   */
  readonly lameduckSeconds?: number;
}

/** Cluster DNS: the cluster domain from the API, stub zones to their servers, the rest upstream. */
export function clusterDnsCorefile(props: ClusterDnsCorefileProps): Corefile {
  const main = new ServerBlock({
    zones: ['.'],
    port: COREDNS_CONTAINER_PORT,
    alsoPorts: props.alsoPorts,
    plugins: [
      ...operational(props.lameduckSeconds),
      kubernetes({ zones: [props.clusterDomain, 'in-addr.arpa', 'ip6.arpa'], ttl: 30 }),
      forward({ from: '.', to: props.upstreams, maxConcurrent: 1000 }),
      cache({ maxTtl: props.cacheTtl ?? 30 }),
      loop(),
      loadbalance(),
    ],
  });
  const stubs = (props.stubZones ?? []).map(
    (s) =>
      new ServerBlock({
        zones: [s.zone],
        port: COREDNS_CONTAINER_PORT,
        alsoPorts: props.alsoPorts,
        plugins: [
          errors(),
          // Same address as the main block's: one metrics endpoint, with this zone's requests under its own label.
          prometheus(),
          forward({ from: '.', to: s.servers, readTimeoutSeconds: STUB_READ_TIMEOUT_SECONDS }),
          cache({ maxTtl: props.cacheTtl ?? 30, denialTtl: 5, serveStale: { maxStaleSeconds: STUB_SERVE_STALE_SECONDS, verifyTimeoutMs: STUB_STALE_VERIFY_MS, responseTtlSeconds: 30 } }),
          loop(),
        ],
      }),
  );
  return new Corefile([main, ...stubs]);
}

export interface GatewayCorefileProps {
  /** The tier zone. */
  readonly zone: string;
  /** `<service>.<namespace>` of the gateway's Service: NS name and glue at the apex. */
  readonly apex: string;
  readonly ttl: number;
  /** @default ['Ingress', 'Service'] */
  readonly resources?: readonly GatewayResource[];
}

/** Cluster gateway: answers the tier zone from this cluster's LoadBalancer Services and Ingresses. */
export function gatewayCorefile(props: GatewayCorefileProps): Corefile {
  return new Corefile([
    new ServerBlock({
      zones: [props.zone],
      port: COREDNS_CONTAINER_PORT,
      plugins: [...operational(), k8sGateway({ zone: props.zone, apex: props.apex, ttl: props.ttl, resources: props.resources }), loadbalance()],
    }),
  ]);
}

export interface AuthorityCorefileProps {
  readonly zone: string;
  /** Gateway addresses (IP or IP:port), one per workload cluster. */
  readonly gateways: readonly string[];
  /** Path of the apex zone file (SOA, NS and glue) in the pod. */
  readonly apexZoneFile: string;
  /** Seconds positive answers are cached (the tier TTL). */
  readonly ttl: number;
  /**
   * The plugin that fans out to the gateways.
   * @default DEFAULT_FAN_OUT_PLUGIN ('fleetfanout')
   */
  readonly fanOut?: FanOutPlugin;
}

/**
 * Tier authority: the apex (SOA, NS, glue) from its own zone file, every other name fanned out to all
 * gateways at once (`fleetfanout` or `fanout`, see FanOutPlugin); the first positive answer wins.
 * `race` stays off. Cache is in-process only, in front of the fan-out.
 */
export function authorityCorefile(props: AuthorityCorefileProps): Corefile {
  return new Corefile([
    new ServerBlock({
      zones: [props.zone],
      port: COREDNS_CONTAINER_PORT,
      plugins: [
        ...operational(),
        cache({ maxTtl: props.ttl, denialTtl: 5 }),
        file({ path: props.apexZoneFile, zone: props.zone, fallthrough: true, reloadSeconds: APEX_ZONE_RELOAD_SECONDS }),
        (props.fanOut ?? DEFAULT_FAN_OUT_PLUGIN) === 'fanout'
          ? fanout({ zone: props.zone, to: props.gateways, timeoutMs: FANOUT_TIMEOUT_MS, attemptCount: FANOUT_ATTEMPTS })
          : fleetFanout({ zone: props.zone, to: props.gateways, timeoutMs: FANOUT_TIMEOUT_MS, attempts: FLEET_FANOUT_ATTEMPTS }),
        loadbalance(),
      ],
    }),
  ]);
}

/** One name server of a tier zone: its name (without the trailing dot) and address. */
export interface ApexNameServer {
  readonly nameServer: string;
  readonly ip: string;
}

/**
 * The apex of a tier zone as each of its authorities serves it: SOA, one NS per authority and their
 * glue. The SOA serial is derived from the rest of the content, so any change (another authority, a
 * new address) gets a new serial, and CoreDNS's `file`, which takes a re-read file only when its serial
 * changed, serves it without a restart. Every authority of the tier renders the same text, hence the
 * same serial. The serial is a hash, not a counter: fine for `file`, which compares for equality; no
 * secondary transfers the zone (it has no AXFR), so RFC 1982 ordering is never needed.
 */
export function apexZoneText(zone: string, nameServers: string | readonly ApexNameServer[], ttl: number): string {
  const servers = typeof nameServers === 'string' ? [{ nameServer: `ns1.${zone}`, ip: nameServers }] : nameServers;
  if (servers.length === 0) throw new Error(`zone ${zone}: the apex needs at least one name server`);
  const body = [
    ...servers.map((s) => `@ 3600 IN NS ${s.nameServer}.`),
    ...servers.map((s) => `${s.nameServer}. 3600 IN ${s.ip.includes(':') ? 'AAAA' : 'A'} ${s.ip}`),
  ];
  const soa = (serial: number) => `@ 3600 IN SOA ${servers[0].nameServer}. hostmaster.${zone}. ${serial} 7200 1800 86400 ${ttl}`;
  return [`$ORIGIN ${zone}.`, soa(contentSerial([zone, soa(0), ...body].join('\n'))), ...body, ''].join('\n');
}

/** A serial from the content: 1 to 2^31-1 (never 0, which `file` takes for "reload regardless"). */
export function contentSerial(text: string): number {
  const n = createHash('sha256').update(text).digest().readUInt32BE(0) & 0x7fffffff;
  return n === 0 ? 1 : n;
}
