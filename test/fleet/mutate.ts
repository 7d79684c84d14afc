/**
 * Mutated fleets for the mutation test: realistic mistakes applied to a valid fleet, from a seeded
 * PRNG, so the same seed gives the same mutants. Each mutation works on the plain props of the fleet
 * (a FleetDraft) and says what it did.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIp, parseCidr, parseIp, parsePoolAddresses } from '../../constructs/common/ip';
import { copyOf, FleetDraft } from '../fleets/variant';

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Path = (string | number)[];
interface Leaf {
  readonly path: Path;
  readonly value: string;
}
type Rng = () => number;

const pick = <T>(rng: Rng, list: readonly T[]): T | undefined => (list.length === 0 ? undefined : list[Math.floor(rng() * list.length)]);

function leaves(value: unknown, path: Path = []): Leaf[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return node;
}
const setAt = (root: unknown, path: Path, value: unknown) => { parentOf(root, path)[path[path.length - 1]] = value; };
const getAt = (root: unknown, path: Path): unknown => parentOf(root, path)[path[path.length - 1]];
const show = (path: Path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);

const isSingleIp = (l: Leaf) => parseIp(l.value) !== undefined;
const isCidr = (l: Leaf) => parseCidr(l.value) !== undefined;
const isPoolEntry = (l: Leaf) => l.path.includes('addresses') && parsePoolAddresses(l.value) !== undefined;
/** The address inside any leaf: a single IP, a CIDR's network, a range's first address, a URL's host. */
function addressIn(l: Leaf): string | undefined {
  if (parseIp(l.value)) return l.value;
  const url = /^https:\/\/\[?([0-9a-fA-F.:]+)\]?(:\d+)?/.exec(l.value)?.[1];
  if (url && parseIp(url)) return url;
  const range = parsePoolAddresses(l.value);
  return range ? formatIp(range.family, range.first) : undefined;
}

/** The address leaves of a draft (not zone data, not names). */
function addressLeaves(draft: FleetDraft): Leaf[] {
  return leaves(draft.clusters, ['clusters']).filter((l) => addressIn(l) !== undefined && !l.path.includes('records'));
}

/** Writes `ip` into the leaf, keeping the leaf's kind (URL host, CIDR prefix, range). */
function withAddress(l: Leaf, ip: string): string {
  if (l.value.startsWith('https://')) return l.value.replace(/^https:\/\/(\[[^\]]+\]|[^:/]+)/, `https://${ip.includes(':') ? `[${ip}]` : ip}`);
  if (l.value.includes('/')) {
    const bits = ip.includes(':') ? 128 : 32;
    const prefix = Math.min(Number(l.value.split('/')[1]), bits);
    return `${ip}/${prefix}`;
  }
  if (l.value.includes('-')) return `${ip}-${ip}`;
  return ip;
}

/** IPv4 ↔ IPv6, keeping the low bits, so the flipped address stays recognisable. */
function flipFamily(ip: string): string {
  const p = parseIp(ip)!;
  if (p.family === 4) return formatIp(6, (0x20010db8n << 96n) | (0xffffn << 32n) | p.value);
  return formatIp(4, (198n << 24n) | (51n << 16n) | (100n << 8n) | (p.value & 255n));
}

function flipLeaf(l: Leaf): string {
  const range = parsePoolAddresses(l.value);
  if (l.value.includes('/') && range) {
    const prefix = Number(l.value.split('/')[1]);
    const ip = flipFamily(formatIp(range.family, range.first));
    return range.family === 4 ? `${ip}/${96 + prefix}` : `${ip}/${Math.max(prefix - 96, 24)}`.replace(/^(.*)\/(\d+)$/, (_, a: string, p: string) => `${maskTo(a, Number(p))}/${p}`);
  }
  if (l.value.includes('-') && range) return `${flipFamily(formatIp(range.family, range.first))}-${flipFamily(formatIp(range.family, range.last))}`;
  const inUrl = addressIn(l);
  return inUrl && l.value.startsWith('https://') ? withAddress(l, flipFamily(inUrl)) : flipFamily(l.value);
}

function maskTo(ip: string, prefix: number): string {
  const p = parseIp(ip)!;
  const bits = p.family === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - prefix);
  return formatIp(p.family, p.value - (p.value % size));
}

/** IPv6 in another legal spelling: fully expanded, upper case, or with a zero group written out. */
function nonCanonical(ip: string, rng: Rng): string {
  const p = parseIp(ip)!;
  const groups = [...Array(8).keys()].map((i) => ((p.value >> BigInt(16 * (7 - i))) & 0xffffn).toString(16));
  const choice = Math.floor(rng() * 3);
  if (choice === 0) return groups.map((g) => g.padStart(4, '0')).join(':');
  if (choice === 1) return formatIp(6, p.value).toUpperCase();
  return groups.join(':');
}

/** Where edited zone files are written (one folder per test process; the test removes it). */
export const MUTANT_ZONE_DIR = join(tmpdir(), `fleetnet-mutant-zones-${process.pid}`);
const LEGACY_ZONE = 'legacy.platform.example';
const LEGACY_ZONE_FILE = join(__dirname, '..', 'fleets', 'valid', 'zones', `${LEGACY_ZONE}.zone`);

interface Mutation {
  readonly name: string;
  /** Changes the draft; returns what it did, or undefined when it does not apply to this draft. */
  readonly apply: (draft: FleetDraft, rng: Rng) => string | undefined;
}

const clusterIndex = (draft: FleetDraft, rng: Rng) => Math.floor(rng() * draft.clusters.length);

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'copy-address',
    apply: (d, rng) => {
      const all = addressLeaves(d);
      const from = pick(rng, all);
      const to = pick(rng, all.filter((l) => l !== from));
      if (!from || !to) return undefined;
      const ip = addressIn(from)!;
      setAt(d, to.path, withAddress(to, ip));
      return `${show(to.path)} := ${ip} (from ${show(from.path)})`;
    },
  },
  {
    name: 'reverse-range',
    apply: (d, rng) => {
      const l = pick(rng, leaves(d.clusters, ['clusters']).filter(isPoolEntry));
      if (!l) return undefined;
      const r = parsePoolAddresses(l.value)!;
      const text = `${formatIp(r.family, r.last)}-${formatIp(r.family, r.first)}`;
      setAt(d, l.path, text);
      return `${show(l.path)} := ${text}`;
    },
  },
  {
    name: 'shrink-or-grow-range',
    apply: (d, rng) => {
      const l = pick(rng, leaves(d.clusters, ['clusters']).filter((x) => isCidr(x) || isPoolEntry(x)));
      if (!l) return undefined;
      const r = parsePoolAddresses(l.value)!;
      const bits = r.family === 4 ? 32 : 128;
      if (l.value.includes('/')) {
        const prefix = Number(l.value.split('/')[1]);
        const next = Math.max(1, Math.min(bits, prefix + (rng() < 0.6 ? 1 + Math.floor(rng() * 8) : -1 - Math.floor(rng() * 6))));
        const text = `${maskTo(formatIp(r.family, r.first), next)}/${next}`;
        setAt(d, l.path, text);
        return `${show(l.path)} := ${text}`;
      }
      const size = r.last - r.first;
      const text = `${formatIp(r.family, r.first)}-${formatIp(r.family, r.first + size / 2n)}`;
      setAt(d, l.path, text);
      return `${show(l.path)} := ${text}`;
    },
  },
  {
    name: 'host-bits',
    apply: (d, rng) => {
      const l = pick(rng, leaves(d.clusters, ['clusters']).filter(isCidr));
      if (!l) return undefined;
      const r = parseCidr(l.value)!;
      const text = `${formatIp(r.family, r.first + 1n)}/${l.value.split('/')[1]}`;
      setAt(d, l.path, text);
      return `${show(l.path)} := ${text}`;
    },
  },
  {
    name: 'boundary',
    apply: (d, rng) => {
      // A single address moved to an edge of a range of its own cluster (network, first, last, just outside).
      const i = clusterIndex(d, rng);
      const own = leaves(d.clusters[i], ['clusters', i]);
      const l = pick(rng, own.filter(isSingleIp));
      const ranges = own.filter((x) => x.value.includes('/') || isPoolEntry(x)).map((x) => parsePoolAddresses(x.value)).filter((r) => r !== undefined);
      const r = pick(rng, ranges);
      if (!l || !r) return undefined;
      const edge = pick(rng, [r.first, r.first + 1n, r.last, r.last + 1n, r.first - 1n, r.last - 1n])!;
      const text = formatIp(r.family, edge < 0n ? 0n : edge);
      setAt(d, l.path, text);
      return `${show(l.path)} := ${text} (edge of ${r.text})`;
    },
  },
  {
    name: 'service-ip-reserved',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const r = parseCidr(c.podNetwork.serviceCidr);
      if (!r) return undefined;
      const text = formatIp(r.family, pick(rng, [r.first, r.first + 1n, r.last, r.first + 2n])!);
      c.dns.serviceIP = text;
      return `clusters[${i}].dns.serviceIP := ${text}`;
    },
  },
  {
    name: 'family-flip',
    apply: (d, rng) => {
      const l = pick(rng, addressLeaves(d));
      if (!l) return undefined;
      const text = flipLeaf(l);
      setAt(d, l.path, text);
      return `${show(l.path)} := ${text}`;
    },
  },
  {
    name: 'non-canonical-ipv6',
    apply: (d, rng) => {
      const l = pick(rng, leaves(d.clusters, ['clusters']).filter((x) => parseIp(x.value)?.family === 6));
      if (!l) return undefined;
      const text = nonCanonical(l.value, rng);
      setAt(d, l.path, text);
      return `${show(l.path)} := ${text}`;
    },
  },
  {
    name: 'case',
    apply: (d, rng) => {
      const l = pick(rng, leaves(d));
      if (!l || l.value.toUpperCase() === l.value) return undefined;
      const text = rng() < 0.5 ? l.value.toUpperCase() : l.value[0].toUpperCase() + l.value.slice(1);
      setAt(d, l.path, text);
      return `${show(l.path)} := ${JSON.stringify(text)}`;
    },
  },
  {
    name: 'whitespace',
    apply: (d, rng) => {
      const l = pick(rng, leaves(d));
      if (!l) return undefined;
      const text = pick(rng, [`${l.value} `, ` ${l.value}`, `${l.value}\n`, `${l.value}\t`, l.value.replace(/[.:-]/, (m) => ` ${m}`)])!;
      setAt(d, l.path, text);
      return `${show(l.path)} := ${JSON.stringify(text)}`;
    },
  },
  {
    name: 'swap-roles',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const choice = Math.floor(rng() * 3);
      if (choice === 0) {
        c.role = c.role === 'management' ? 'workload' : 'management';
        return `clusters[${i}].role := ${c.role}`;
      }
      if (choice === 1) {
        const { gatewayIP, authorityIP } = c.dns;
        c.dns.gatewayIP = authorityIP;
        c.dns.authorityIP = gatewayIP;
        c.role = c.role === 'management' ? 'workload' : 'management';
        return `clusters[${i}]: role and gateway/authority IP swapped (${c.role})`;
      }
      const j = clusterIndex(d, rng);
      [c.tier, d.clusters[j].tier] = [d.clusters[j].tier, c.tier];
      return `tiers of clusters[${i}] and clusters[${j}] swapped`;
    },
  },
  {
    name: 'enum-typo',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i] as unknown as Record<string, Record<string, unknown>>;
      const choice = Math.floor(rng() * 4);
      if (choice === 0) { (c as Record<string, unknown>).role = pick(rng, ['Workload', 'worker', 'mgmt', 'Management '])!; return `clusters[${i}].role typo`; }
      if (choice === 1) { (c.loadBalancer.pools as Record<string, unknown>[])[0].mode = pick(rng, ['L2', 'layer2', 'BGP', 'arp'])!; return `clusters[${i}].loadBalancer.pools[0].mode typo`; }
      if (choice === 2) { c.bootstrap = { mode: pick(rng, ['ArgoCD', 'pulumi', 'apply', 'Direct'])! }; return `clusters[${i}].bootstrap.mode typo`; }
      (c.dns as Record<string, unknown>).daemonSet = pick(rng, ['true', 1, 'yes'])!;
      return `clusters[${i}].dns.daemonSet not a boolean`;
    },
  },
  {
    name: 'misspelled-field',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const dns = d.clusters[i].dns as unknown as Record<string, unknown>;
      const key = pick(rng, Object.keys(dns))!;
      const typo = pick(rng, [key.toLowerCase(), `${key}s`, key.replace(/IP$/, 'Ip'), key.slice(0, -1)])!;
      if (typo === key) return undefined;
      dns[typo] = dns[key];
      if (rng() < 0.5) delete dns[key];
      return `clusters[${i}].dns.${key} also written as ${typo}`;
    },
  },
  {
    name: 'drop-optional',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i] as unknown as Record<string, Record<string, unknown>>;
      const choice = pick(rng, ['dns.gatewayIP', 'dns.authorityIP', 'dns.powerdnsIP', 'dns.zones', 'podNetwork.mizar', 'podNetwork.cni', 'loadBalancer.bgpPeers', 'dns.clusterDomain'])!;
      const [a, b] = choice.split('.');
      if (c[a][b] === undefined) return undefined;
      delete c[a][b];
      return `clusters[${i}].${choice} removed`;
    },
  },
  {
    name: 'duplicate-or-remove-cluster',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      if (rng() < 0.5 && d.clusters.length > 1) {
        const [gone] = d.clusters.splice(i, 1);
        return `cluster ${gone.name} removed`;
      }
      const copy = copyOf(d.clusters[i]);
      copy.name = rng() < 0.7 ? `${copy.name}-copy` : copy.name;
      if (rng() < 0.5) copy.role = 'workload';
      d.clusters.push(copy);
      return `cluster ${d.clusters[i].name} copied as ${copy.name} (${copy.role})`;
    },
  },
  {
    name: 'zone-names',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const tier = pick(rng, d.tiers)!;
      const tierZone = tier.zone ?? `${tier.name}.${d.domain}`;
      const choice = Math.floor(rng() * 6);
      if (choice === 0) { c.dns.clusterDomain = d.domain; return `clusters[${i}].dns.clusterDomain := ${d.domain}`; }
      if (choice === 1) { c.dns.clusterDomain = tierZone; return `clusters[${i}].dns.clusterDomain := ${tierZone}`; }
      if (choice === 2) { c.dns.clusterDomain = pick(rng, ['cluster.lan', 'k8s.internal', 'example', 'cluster.local.', 'in-addr.arpa'])!; return `clusters[${i}].dns.clusterDomain := ${c.dns.clusterDomain}`; }
      const other = pick(rng, d.tiers.filter((t) => t !== tier));
      if (choice === 3 && other) { tier.zone = other.zone ?? `${other.name}.${d.domain}`; return `tier ${tier.name} zone := ${tier.zone}`; }
      if (choice === 4) { tier.zone = `${tier.name}.${pick(rng, d.tiers)!.name}.${d.domain}`; return `tier ${tier.name} zone := ${tier.zone}`; }
      const zone = c.dns.zones?.[0] as { name: string } | undefined;
      if (!zone) return undefined;
      zone.name = pick(rng, [tierZone, `x.${tierZone}`, d.domain, `static.${tierZone.split('.').slice(1).join('.')}`, `other.${d.domain}`])!;
      return `clusters[${i}].dns.zones[0].name := ${zone.name}`;
    },
  },
  {
    name: 'upstreams',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const others = d.clusters.flatMap((o) => [o.dns.gatewayIP, o.dns.authorityIP, o.dns.powerdnsIP]).filter((x): x is string => x !== undefined);
      const choice = Math.floor(rng() * 6);
      if (choice === 0) c.dns.upstreams = [c.dns.serviceIP];
      else if (choice === 1) c.dns.upstreams = Array.from({ length: 14 + Math.floor(rng() * 4) }, (_, n) => `192.0.2.${100 + n}`);
      else if (choice === 2) c.dns.upstreams = [...c.dns.upstreams, c.dns.upstreams[0]];
      else if (choice === 3) c.dns.upstreams = [pick(rng, ['127.0.0.53', '127.0.0.1', '::1', '169.254.169.254', '0.0.0.0'])!];
      else if (choice === 4 && others.length > 0) c.dns.upstreams = [pick(rng, others)!];
      else c.dns.upstreams = [];
      return `clusters[${i}].dns.upstreams := [${c.dns.upstreams.join(', ')}]`;
    },
  },
  {
    name: 'zone-data',
    apply: (d, rng) => {
      const i = d.clusters.findIndex((c) => (c.dns.zones ?? []).some((z) => 'records' in z));
      if (i < 0) return undefined;
      const zone = d.clusters[i].dns.zones!.find((z) => 'records' in z) as { name: string; records: Record<string, unknown>[]; nameServers?: string[] };
      const choice = Math.floor(rng() * 7);
      const ip = pick(rng, ['198.51.100.25', '2001:db8::25', '192.0.2.1'])!;
      if (choice === 0) zone.records.push({ name: '@', type: 'MX', preference: 5, exchange: ip });
      else if (choice === 1) zone.records.push({ name: 'alias', type: 'CNAME', target: rng() < 0.5 ? ip : `alias.${zone.name}` });
      else if (choice === 2) zone.records.push({ name: 'a', type: 'CNAME', target: `b.${zone.name}` }, { name: 'b', type: 'CNAME', target: `a.${zone.name}` });
      else if (choice === 3) zone.records.push({ name: 'ns1', type: 'A', address: pick(rng, ['198.51.100.114', '203.0.113.53', d.clusters[i].dns.powerdnsIP ?? '192.0.2.9'])! });
      else if (choice === 4) zone.records.push({ name: '_sip._udp', type: 'SRV', priority: 0, weight: 0, port: Math.floor(rng() * 70000), target: rng() < 0.5 ? ip : `sip.${zone.name}` });
      else if (choice === 5) zone.nameServers = [pick(rng, [ip, `ns1.${zone.name}`, `ns.elsewhere.example`, 'ns1'])!];
      else zone.records.push({ name: pick(rng, ['www', 'WWW', '*', 'a.b', '-bad', 'under_score'])!, type: pick(rng, ['A', 'AAAA', 'TXT'])!, address: ip, text: 'x' });
      return `clusters[${i}] zone ${zone.name}: zone-data variant ${choice}`;
    },
  },
  {
    name: 'names',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const bad = pick(rng, ['Prod-X', 'prod_x', `${'x'.repeat(64)}`, '-prod', 'prod-', 'prod.x', 'a', `${'y'.repeat(63)}`])!;
      const choice = Math.floor(rng() * 3);
      if (choice === 0) { c.name = bad; return `clusters[${i}].name := ${bad}`; }
      if (choice === 1) { c.loadBalancer.pools[0].name = bad; return `clusters[${i}].loadBalancer.pools[0].name := ${bad}`; }
      c.loadBalancer.pools[0].mode = 'bgp';
      c.loadBalancer.bgpPeers = [{ name: bad, peerAddress: '192.0.2.254', peerASN: 64512, myASN: 64513 }];
      return `clusters[${i}] BGP peer named ${bad}`;
    },
  },
  {
    name: 'numbers',
    apply: (d, rng) => {
      const tier = pick(rng, d.tiers)!;
      const i = clusterIndex(d, rng);
      const value = pick(rng, [0, -1, 1.5, 86401, 2 ** 31, 1, 3600, Number.NaN])!;
      const choice = Math.floor(rng() * 3);
      if (choice === 0) { tier.ttl = value; return `tier ${tier.name} ttl := ${value}`; }
      if (choice === 1 && d.clusters[i].podNetwork.mizar) { d.clusters[i].podNetwork.mizar!.vni = value; return `clusters[${i}] mizar vni := ${value}`; }
      const zone = (d.clusters[i].dns.zones ?? []).find((z) => 'soa' in z) as { soa: { serial: number } } | undefined;
      if (!zone) return undefined;
      zone.soa.serial = value;
      return `clusters[${i}] zone serial := ${value}`;
    },
  },
  // Legal changes, so that a good share of mutants reaches the real programs.
  {
    name: 'move-fixed-ip',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const key = pick(rng, (['gatewayIP', 'authorityIP', 'powerdnsIP'] as const).filter((k) => c.dns[k] !== undefined));
      const pool = pick(rng, c.loadBalancer.pools.flatMap((p) => p.addresses).map((a) => parsePoolAddresses(a)).filter((r) => r !== undefined));
      if (!key || !pool) return undefined;
      const size = pool.last - pool.first + 1n;
      const text = formatIp(pool.family, pool.first + BigInt(Math.floor(rng() * Number(size < 4096n ? size : 4096n))));
      c.dns[key] = text;
      return `clusters[${i}].dns.${key} := ${text}`;
    },
  },
  {
    name: 'other-service-range',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      if (parseCidr(c.podNetwork.serviceCidr)?.family !== 4) return undefined;
      const [cidr, ip] = pick(rng, [['10.96.0.0/12', '10.96.0.10'], ['10.100.0.0/24', '10.100.0.10'], ['172.30.0.0/16', '172.30.0.10']] as const)!;
      c.podNetwork.serviceCidr = cidr;
      c.dns.serviceIP = rng() < 0.8 ? ip : ip.replace(/10$/, String(2 + Math.floor(rng() * 200)));
      return `clusters[${i}] Service range ${cidr}, DNS ${c.dns.serviceIP}`;
    },
  },
  {
    name: 'add-upstream',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const v6 = parseCidr(c.podNetwork.serviceCidr)?.family === 6;
      const n = 60 + Math.floor(rng() * 100);
      c.dns.upstreams = [...c.dns.upstreams, v6 ? `2001:db8::${n.toString(16)}` : `192.0.2.${n}`];
      return `clusters[${i}].dns.upstreams += ${c.dns.upstreams[c.dns.upstreams.length - 1]}`;
    },
  },
  {
    name: 'rename',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const name = pick(rng, ['edge-1', 'dc2', 'eu-west-prod-01', `c${Math.floor(rng() * 1000)}`, 'x'.repeat(40)])!;
      if (rng() < 0.5) { c.name = name; return `clusters[${i}].name := ${name}`; }
      c.loadBalancer.pools[0].name = name;
      return `clusters[${i}].loadBalancer.pools[0].name := ${name}`;
    },
  },
  {
    name: 'settings',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      const choice = Math.floor(rng() * 6);
      if (choice === 0) { c.dns.daemonSet = !c.dns.daemonSet; return `clusters[${i}].dns.daemonSet := ${c.dns.daemonSet}`; }
      if (choice === 1) { c.bootstrap = { mode: rng() < 0.5 ? 'direct' : 'argocd' }; return `clusters[${i}].bootstrap.mode := ${c.bootstrap.mode}`; }
      if (choice === 2) { c.dns.clusterDomain = pick(rng, ['cluster.lan', 'k8s.internal', 'kube.corp', 'cluster.local'])!; return `clusters[${i}].dns.clusterDomain := ${c.dns.clusterDomain}`; }
      if (choice === 3) { const t = pick(rng, d.tiers)!; t.ttl = pick(rng, [1, 5, 60, 300, 86400])!; return `tier ${t.name} ttl := ${t.ttl}`; }
      if (choice === 4) { c.loadBalancer.network = pick(rng, ['site-a', 'site-b', 'default'])!; return `clusters[${i}].loadBalancer.network := ${c.loadBalancer.network}`; }
      c.loadBalancer.pools.forEach((p) => { p.autoAssign = rng() < 0.5; });
      return `clusters[${i}] pools autoAssign shuffled`;
    },
  },
  {
    name: 'bgp',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      if (parseCidr(c.podNetwork.serviceCidr)?.family !== 4) return undefined;
      c.loadBalancer.pools[0].mode = 'bgp';
      c.loadBalancer.bgpPeers = [{ name: pick(rng, ['tor-a', 'spine1', 'r'])!, peerAddress: `192.0.2.${200 + Math.floor(rng() * 50)}`, peerASN: pick(rng, [64512, 65000, 4200000000])!, myASN: pick(rng, [64513, 65001, 1])! }];
      return `clusters[${i}] announces pool ${c.loadBalancer.pools[0].name} by BGP to ${c.loadBalancer.bgpPeers[0].peerAddress}`;
    },
  },
  {
    name: 'legal-zone-data',
    apply: (d, rng) => {
      const i = d.clusters.findIndex((c) => (c.dns.zones ?? []).some((z) => 'records' in z));
      if (i < 0) return undefined;
      const zone = d.clusters[i].dns.zones!.find((z) => 'records' in z) as { name: string; ttl?: number; records: Record<string, unknown>[] };
      const choice = Math.floor(rng() * 5);
      if (choice === 0) zone.records.push({ name: pick(rng, ['www', 'api.v2', '*.apps', '_dmarc'])!, type: 'TXT', text: pick(rng, ['v=DMARC1; p=none', 'a "quoted" word', 'x'.repeat(300), ''])! });
      else if (choice === 1) zone.records.push({ name: 'cdn', type: 'CNAME', target: pick(rng, ['edge.cdn.example', `registry.${zone.name}`, 'registry.static.platform.example.'])! });
      else if (choice === 2) zone.records.push({ name: 'mail', type: 'A', address: `198.51.100.${1 + Math.floor(rng() * 250)}` }, { name: '@', type: 'MX', preference: 20, exchange: `mail.${zone.name}` });
      else if (choice === 3) zone.records.push({ name: '_sip._udp', type: 'SRV', priority: 10, weight: 5, port: 5060, target: rng() < 0.5 ? '.' : `sip.${zone.name}` });
      else zone.ttl = pick(rng, [0, 60, 3600, 2147483647])!;
      return `clusters[${i}] zone ${zone.name}: legal record variant ${choice}`;
    },
  },
  {
    name: 'secondary-authority-or-autoscaling',
    apply: (d, rng) => {
      const i = clusterIndex(d, rng);
      const c = d.clusters[i];
      if (rng() < 0.5) {
        const pool = parsePoolAddresses(c.loadBalancer.pools[0].addresses[0]);
        if (!pool) return undefined;
        c.dns.secondaryAuthorityIP = rng() < 0.2 ? c.dns.gatewayIP ?? c.dns.authorityIP : formatIp(pool.family, pool.first + 3n + BigInt(Math.floor(rng() * 8)));
        return `clusters[${i}].dns.secondaryAuthorityIP := ${c.dns.secondaryAuthorityIP}`;
      }
      c.dns.autoscaling = { minReplicas: pick(rng, [undefined, 1, 2, 3, 0])!, maxReplicas: pick(rng, [1, 2, 5, 10])!, targetCpuUtilization: pick(rng, [undefined, 50, 80, 0])! };
      return `clusters[${i}].dns.autoscaling := ${JSON.stringify(c.dns.autoscaling)}`;
    },
  },
  {
    name: 'zone-file-edit',
    apply: (d, rng) => {
      // A hand-written zone file edited as people do by hand; the copy is written under its content's hash.
      let i = d.clusters.findIndex((c) => (c.dns.zones ?? []).some((z) => 'file' in z));
      if (i < 0) {
        // No hand-written zone yet: a PowerDNS cluster gets the valid fixtures' one, edited.
        i = d.clusters.findIndex((c) => c.dns.powerdnsIP !== undefined && !(c.dns.zones ?? []).some((z) => z.name === LEGACY_ZONE));
        if (i < 0) return undefined;
        d.clusters[i].dns.zones = [...(d.clusters[i].dns.zones ?? []), { name: LEGACY_ZONE, file: LEGACY_ZONE_FILE }];
      }
      const zone = d.clusters[i].dns.zones!.find((z) => 'file' in z) as { name: string; file: string };
      const lines = readFileSync(zone.file, 'utf8').split('\n');
      const n = Math.floor(rng() * lines.length);
      const line = lines[n];
      const choice = Math.floor(rng() * 9);
      if (choice === 0) lines.splice(n, 1);
      else if (choice === 1) lines.splice(n, 0, line);
      else if (choice === 2) lines[n] = line.replace(/\)/, '');
      else if (choice === 3) lines[n] = line.replace(/\b(A|AAAA|CNAME|MX|TXT|SRV|NS)\b/, pick(rng, ['AA', 'CNAM', 'MX', 'A', 'PTR', 'TXT'])!);
      else if (choice === 4) lines[n] = line.replace(/\d+\.\d+\.\d+\.\d+/, pick(rng, ['2001:db8::9', '198.51.100.300', 'intranet', '198.51.100.9'])!);
      else if (choice === 5) lines.splice(n + 1, 0, `${pick(rng, ['intranet', 'wiki', 'www', '@'])} 60 IN ${pick(rng, ['TXT "x"', 'A 198.51.100.9', 'CNAME intranet', 'MX 5 198.51.100.25', 'NS ns9'])}`);
      else if (choice === 6) lines[n] = line.replace(/^\S+/, (m) => (m.startsWith('$') ? m : pick(rng, ['other.example.', 'UPPER', 'a_b', '-x', m])!));
      else if (choice === 7) lines[n] = line.replace(/\b(\d{2,4})\b/, pick(rng, ['70000', '1h', '0', '99999999999'])!);
      else lines.splice(n, 0, pick(rng, ['$INCLUDE other.zone', '$TTL', '$ORIGIN other.example.', '$GENERATE 1-3 h$ A 198.51.100.$', '( ', '"open'])!);
      const text = lines.join('\n');
      const dir = MUTANT_ZONE_DIR;
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.zone`);
      writeFileSync(file, text);
      zone.file = file;
      return `clusters[${i}] zone file ${zone.name}: edit ${choice} at line ${n + 1} (${file})`;
    },
  },
];

export interface Mutant {
  readonly id: number;
  readonly base: string;
  readonly mutations: readonly string[];
  readonly draft: FleetDraft;
}

/** The `count` mutants of `seed`: the same list for the same seed, bases and count. */
export function mutants(seed: number, count: number, bases: readonly { name: string; draft: FleetDraft }[]): Mutant[] {
  const rng = prng(seed);
  const out: Mutant[] = [];
  for (let id = 0; out.length < count && id < count * 20; id++) {
    const base = bases[Math.floor(rng() * bases.length)];
    const draft = copyOf(base.draft);
    const done: string[] = [];
    const wanted = rng() < 0.3 ? 2 : 1;
    for (let tries = 0; done.length < wanted && tries < 10; tries++) {
      const m = MUTATIONS[Math.floor(rng() * MUTATIONS.length)];
      const what = m.apply(draft, rng);
      if (what !== undefined) done.push(`${m.name}: ${what}`);
    }
    if (done.length > 0) out.push({ id: out.length, base: base.name, mutations: done, draft });
  }
  return out;
}

export { getAt };
