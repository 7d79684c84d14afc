/**
 * IPv4/IPv6 address and prefix arithmetic for validation. Addresses are held as bigint so one code
 * path serves both families.
 */

export type IpFamily = 4 | 6;

/** An inclusive address range [first, last] of one family. */
export interface IpRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
  /** The text the range was parsed from, for messages. */
  readonly text: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  if (IPV4.test(text)) {
    const value = text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
    return { family: 4, value };
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return { family: 6, value };
}

export function isIp(text: string): boolean {
  return parseIp(text) !== undefined;
}

/** Parses `a.b.c.d/n` (or IPv6); rejects host bits set, so `10.0.0.1/24` is an error, not a surprise. */
export function parseCidr(text: string): IpRange | undefined {
  const [addr, len, ...rest] = text.split('/');
  if (rest.length > 0 || len === undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = Number(len);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const size = 1n << hostBits;
  if (ip.value % size !== 0n) return undefined;
  return { family: ip.family, first: ip.value, last: ip.value + size - 1n, text };
}

/** Parses a MetalLB pool entry: a CIDR, or an inclusive range `first-last` of one family. */
export function parsePoolAddresses(text: string): IpRange | undefined {
  if (text.includes('/')) return parseCidr(text);
  const parts = text.split('-').map((p) => p.trim());
  if (parts.length !== 2) return undefined;
  const [a, b] = parts.map(parseIp);
  if (!a || !b || a.family !== b.family || a.value > b.value) return undefined;
  return { family: a.family, first: a.value, last: b.value, text };
}

export function overlaps(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function contains(range: IpRange, ip: string): boolean {
  const parsed = parseIp(ip);
  return parsed !== undefined && parsed.family === range.family && parsed.value >= range.first && parsed.value <= range.last;
}

/** True when `inner` lies entirely inside `outer`. */
export function within(inner: IpRange, outer: IpRange): boolean {
  return inner.family === outer.family && inner.first >= outer.first && inner.last <= outer.last;
}

/** A key equal for equal addresses, whatever their text (`2001:db8::1` and `2001:db8:0::1`). */
export function ipKey(text: string): string | undefined {
  const ip = parseIp(text);
  return ip && `${ip.family}/${ip.value.toString(16)}`;
}

/** Whether two texts are the same address (false when either is not one). */
export function sameIp(a: string, b: string): boolean {
  const ka = ipKey(a);
  return ka !== undefined && ka === ipKey(b);
}

/** The single-address range of an IP, for overlap checks against pools and CIDRs. */
export function ipRange(text: string): IpRange | undefined {
  const ip = parseIp(text);
  return ip && { family: ip.family, first: ip.value, last: ip.value, text };
}

const v4 = (a: number, b: number, c: number, d: number) => (BigInt(a) << 24n) | (BigInt(b) << 16n) | (BigInt(c) << 8n) | BigInt(d);
const SPECIAL: { family: IpFamily; first: bigint; bits: number; what: string }[] = [
  { family: 4, first: v4(0, 0, 0, 0), bits: 8, what: 'in 0.0.0.0/8 ("this network"), which is never a destination' },
  { family: 4, first: v4(127, 0, 0, 0), bits: 8, what: 'a loopback address (127.0.0.0/8), which is the pod or node itself' },
  { family: 4, first: v4(169, 254, 0, 0), bits: 16, what: 'a link-local address (169.254.0.0/16), which no router forwards' },
  { family: 4, first: v4(224, 0, 0, 0), bits: 4, what: 'a multicast address (224.0.0.0/4)' },
  { family: 4, first: v4(240, 0, 0, 0), bits: 4, what: 'in the reserved range 240.0.0.0/4 (or the broadcast address)' },
  { family: 6, first: 0n, bits: 128, what: 'the unspecified address ::' },
  { family: 6, first: 1n, bits: 128, what: 'the loopback address ::1, which is the pod or node itself' },
  { family: 6, first: 0xfe80n << 112n, bits: 10, what: 'a link-local address (fe80::/10), which no router forwards' },
  { family: 6, first: 0xffn << 120n, bits: 8, what: 'a multicast address (ff00::/8)' },
];

/** Why a range holds no usable unicast address of a routed network (loopback, multicast, …), if it does not. */
export function specialUse(range: IpRange, options: { loopbackOk?: boolean } = {}): string | undefined {
  for (const s of SPECIAL) {
    if (s.family !== range.family) continue;
    if (options.loopbackOk && s.what.includes('loopback')) continue;
    const size = 1n << BigInt((s.family === 4 ? 32 : 128) - s.bits);
    if (range.first <= s.first + size - 1n && s.first <= range.last) return s.what;
  }
  return undefined;
}

/** Whether every address of a range is loopback (127.0.0.0/8, ::1). */
export function isLoopback(range: IpRange): boolean {
  return range.family === 4 ? range.first >> 24n === 127n && range.last >> 24n === 127n : range.first === 1n && range.last === 1n;
}

/** Number of addresses in a range. */
export function rangeSize(range: IpRange): bigint {
  return range.last - range.first + 1n;
}

/** An address as text: dotted quad, or RFC 5952 canonical IPv6. */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = [...Array(8).keys()].map((i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}
