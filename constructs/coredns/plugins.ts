/**
 * Typed builders for the CoreDNS plugins our Corefiles use. Each returns a Directive; options left
 * unset are left out, so CoreDNS's own default applies (documented on each option).
 */
import type { Directive, DirectiveOption } from './corefile';
import { HEALTH_PORT, METRICS_PORT, READY_PORT } from './names';

const opt = (key: string, ...args: (string | number | undefined)[]): DirectiveOption | undefined =>
  args.some((a) => a === undefined) ? undefined : { key, args: args as (string | number)[] };
const flag = (key: string, on: boolean | undefined): DirectiveOption | undefined => (on ? { key } : undefined);
const options = (...list: (DirectiveOption | undefined)[]) => list.filter((o): o is DirectiveOption => o !== undefined);
const seconds = (s: number) => `${s}s`;

export function errors(): Directive {
  return { name: 'errors' };
}

/** Query log. Off in our Corefiles by default: at DNS rates it costs more than it tells. */
export function log(): Directive {
  return { name: 'log' };
}

export interface HealthOptions {
  /**
   * How long to keep serving after a shutdown signal, so the Service can drain.
   * @default 5
   */
  readonly lameduckSeconds?: number;
}

/** `/health` on :8080; liveness. */
export function health(o: HealthOptions = {}): Directive {
  return { name: 'health', args: [`:${HEALTH_PORT}`], options: [{ key: 'lameduck', args: [seconds(o.lameduckSeconds ?? 5)] }] };
}

/** `/ready` on :8181; readiness (200 once every plugin that reports readiness is ready). */
export function ready(): Directive {
  return { name: 'ready', args: [`:${READY_PORT}`] };
}

/** Metrics on :9153 on every interface (the plugin's own default is localhost only). */
export function prometheus(): Directive {
  return { name: 'prometheus', args: [`:${METRICS_PORT}`] };
}

export interface CacheOptions {
  /**
   * Longest TTL in seconds an answer is cached for.
   * @default 3600 (CoreDNS)
   */
  readonly maxTtl?: number;
  /**
   * Longest TTL in seconds a negative answer (NXDOMAIN/NODATA) is cached for; short, so a name that
   * appears is found quickly.
   * @default - same as maxTtl (CoreDNS: 1800 cap)
   */
  readonly denialTtl?: number;
  /**
   * Entries of the positive cache.
   * @default 9984 (CoreDNS)
   */
  readonly successCapacity?: number;
  /**
   * Entries of the negative cache.
   * @default 9984 (CoreDNS)
   */
  readonly denialCapacity?: number;
  /**
   * Refresh popular entries before they expire: `prefetch AMOUNT`.
   * @default - no prefetch
   */
  readonly prefetchAmount?: number;
  /**
   * Answer from expired entries while the source fails (RFC 8767): `serve_stale`, in `verify` mode,
   * so a stale entry is served only after the source was asked and did not answer.
   * @default - never serve stale
   */
  readonly serveStale?: ServeStaleOptions;
}

export interface ServeStaleOptions {
  /** How long past expiry an entry may still be served, in seconds. */
  readonly maxStaleSeconds: number;
  /**
   * How long to wait for the source before the stale entry is served, in milliseconds (it keeps being
   * asked in the background).
   * @default 0 (CoreDNS: wait for the source's own timeout)
   */
  readonly verifyTimeoutMs?: number;
  /**
   * TTL of a stale answer, in seconds; RFC 8767 recommends 30.
   * @default 30
   */
  readonly responseTtlSeconds?: number;
}

/** In-process cache. Never an external cache: a dead Redis once took a whole tier down. */
export function cache(o: CacheOptions = {}): Directive {
  const denial = o.denialTtl !== undefined || o.denialCapacity !== undefined
    ? { key: 'denial', args: [o.denialCapacity ?? 9984, ...(o.denialTtl !== undefined ? [o.denialTtl] : [])] }
    : undefined;
  const success = o.successCapacity !== undefined ? { key: 'success', args: [o.successCapacity] } : undefined;
  return {
    name: 'cache',
    args: o.maxTtl !== undefined ? [o.maxTtl] : [],
    options: options(
      success,
      denial,
      opt('prefetch', o.prefetchAmount),
      o.serveStale
        ? { key: 'serve_stale', args: [seconds(o.serveStale.maxStaleSeconds), 'verify', `${o.serveStale.verifyTimeoutMs ?? 0}ms`, seconds(o.serveStale.responseTtlSeconds ?? 30)] }
        : undefined,
    ),
  };
}

/** Reloads the Corefile when the ConfigMap changes. */
export function reload(): Directive {
  return { name: 'reload' };
}

/** Detects forwarding loops at start and stops instead of melting down. */
export function loop(): Directive {
  return { name: 'loop' };
}

/** Shuffles A/AAAA records of an answer. */
export function loadbalance(): Directive {
  return { name: 'loadbalance' };
}

export interface ForwardOptions {
  /** Zone to forward (`.` for everything not answered before). */
  readonly from: string;
  /** Upstream IP addresses (`IP` or `IP:port`). */
  readonly to: readonly string[];
  /**
   * Most concurrent queries in flight before answering REFUSED, protecting memory.
   * @default - unlimited (CoreDNS)
   */
  readonly maxConcurrent?: number;
  /**
   * How long to wait for an upstream's answer, in seconds.
   * @default 2 (CoreDNS)
   */
  readonly readTimeoutSeconds?: number;
  /**
   * Upstream selection.
   * @default 'random' (CoreDNS)
   */
  readonly policy?: 'random' | 'round_robin' | 'sequential';
}

export function forward(o: ForwardOptions): Directive {
  return {
    name: 'forward',
    args: [o.from, ...o.to],
    options: options(opt('max_concurrent', o.maxConcurrent), opt('read_timeout', o.readTimeoutSeconds !== undefined ? seconds(o.readTimeoutSeconds) : undefined), opt('policy', o.policy)),
  };
}

export interface KubernetesOptions {
  /** The cluster domain, plus reverse zones. */
  readonly zones: readonly string[];
  /**
   * Zones whose misses go on to the next plugin (for reverse lookups of non-cluster addresses).
   * @default ['in-addr.arpa', 'ip6.arpa']
   */
  readonly fallthrough?: readonly string[];
  /**
   * TTL of answers, in seconds.
   * @default 5 (CoreDNS)
   */
  readonly ttl?: number;
  /**
   * A kubeconfig to use instead of the in-cluster service account (for running out of cluster).
   * @default - in-cluster
   */
  readonly kubeconfig?: string;
}

/** Cluster DNS for Services; `pods insecure` stays off (no pod A records). */
export function kubernetes(o: KubernetesOptions): Directive {
  return {
    name: 'kubernetes',
    args: [...o.zones],
    options: options(
      { key: 'fallthrough', args: [...(o.fallthrough ?? ['in-addr.arpa', 'ip6.arpa'])] },
      opt('ttl', o.ttl),
      opt('kubeconfig', o.kubeconfig),
    ),
  };
}

/** Kinds k8s_gateway answers for. */
export type GatewayResource = 'Ingress' | 'Service' | 'HTTPRoute' | 'TLSRoute' | 'GRPCRoute' | 'DNSEndpoint';

export interface K8sGatewayOptions {
  /** The zone it answers. */
  readonly zone: string;
  /**
   * Kinds to watch. Each one needs RBAC (see gatewayRbacRules).
   * @default ['Ingress', 'Service']
   */
  readonly resources?: readonly GatewayResource[];
  /** `<service>.<namespace>` of the gateway's own Service: its NS name and glue at the zone apex. */
  readonly apex: string;
  /**
   * A second NS name for the apex.
   * @default - none
   */
  readonly secondary?: string;
  /** TTL of answers, in seconds. */
  readonly ttl: number;
  /**
   * A kubeconfig to use instead of the in-cluster service account.
   * @default - in-cluster
   */
  readonly kubeconfig?: string;
}

export function k8sGateway(o: K8sGatewayOptions): Directive {
  return {
    name: 'k8s_gateway',
    args: [o.zone],
    options: options(
      { key: 'resources', args: [...(o.resources ?? ['Ingress', 'Service'])] },
      { key: 'apex', args: [o.apex] },
      opt('secondary', o.secondary),
      { key: 'ttl', args: [o.ttl] },
      opt('kubeconfig', o.kubeconfig),
    ),
  };
}

export interface FanoutOptions {
  /** Zone to fan out. */
  readonly zone: string;
  /** Upstream IP addresses (`IP` or `IP:port`); fanout rejects host names. At most 100. */
  readonly to: readonly string[];
  /**
   * Deadline of the whole fan-out, in milliseconds: the bound on an answer when an upstream is dead.
   * @default 30000 (fanout)
   */
  readonly timeoutMs?: number;
  /**
   * Attempts per upstream before it counts as failed.
   * @default 3 (fanout)
   */
  readonly attemptCount?: number;
  /**
   * Upstreams asked at once. With fewer workers than upstreams the others wait in a queue and are
   * asked as workers free up; once a positive answer wins, the queued ones are never asked (less
   * load, but a later answer), while an NXDOMAIN still asks every upstream, batch after batch.
   * @default - all of them (fanout)
   */
  readonly workerCount?: number;
  /**
   * Return the first answer even if it is NXDOMAIN. Never for multi-cluster: one cluster's NXDOMAIN
   * would beat another's answer.
   * @default false
   */
  readonly race?: boolean;
}

export function fanout(o: FanoutOptions): Directive {
  if (o.to.length === 0) throw new Error(`fanout for ${o.zone} needs at least one upstream`);
  return {
    name: 'fanout',
    args: [o.zone, ...o.to],
    options: options(
      opt('worker-count', o.workerCount),
      opt('timeout', o.timeoutMs !== undefined ? `${o.timeoutMs}ms` : undefined),
      opt('attempt-count', o.attemptCount),
      flag('race', o.race),
    ),
  };
}

export interface FileOptions {
  /** Path of the zone file. */
  readonly path: string;
  /** The zone in the file. */
  readonly zone: string;
  /**
   * Names missing from the file go on to the next plugin instead of NXDOMAIN.
   * @default false
   */
  readonly fallthrough?: boolean;
  /**
   * How often the file is read again, in seconds; a new zone is taken only when its SOA serial
   * differs from the loaded one.
   * @default 60 (CoreDNS)
   */
  readonly reloadSeconds?: number;
}

export function file(o: FileOptions): Directive {
  return {
    name: 'file',
    args: [o.path, o.zone],
    options: options(opt('reload', o.reloadSeconds !== undefined ? seconds(o.reloadSeconds) : undefined), flag('fallthrough', o.fallthrough)),
  };
}
