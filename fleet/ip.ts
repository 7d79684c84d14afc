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
