/**
 * A hand-written BIND zone file must parse before it is shipped: the PowerDNS pod loads it with
 * `pdnsutil load-zone` under `set -e`, so one bad line keeps PowerDNS from starting. This reads the
 * master-file syntax (RFC 1035 §5: directives, parentheses, quoted strings, owner inheritance) and
 * checks the records fleetnet's users write; anything it does not know it leaves to PowerDNS.
 */
import { readFileSync } from 'node:fs';
import { isIp, parseIp } from '../constructs/common/ip';

export interface ZoneFileProblem {
  readonly line: number;
  readonly problem: string;
  readonly fix: string;
}

const TTL = /^(\d+[smhdw]?)+$/i;
/** PowerDNS reads times into 32 bits: anything larger is "Unable to parse time specification". */
const MAX_TIME = 4294967295;
const CLASSES = new Set(['IN', 'CH', 'HS']);
/** Types and the number of RDATA fields (undefined: any number). */
const TYPES: Record<string, number | undefined> = {
  A: 1, AAAA: 1, NS: 1, CNAME: 1, PTR: 1, DNAME: 1, MX: 2, SRV: 4, SOA: 7, TXT: undefined, SPF: undefined, CAA: undefined,
  NAPTR: 6, SSHFP: 3, TLSA: 4, DS: undefined, DNSKEY: undefined, HINFO: 2, LOC: undefined, RP: 2, SVCB: undefined, HTTPS: undefined, URI: 3,
};
/** Fields of a type that are host names. */
const NAME_FIELDS: Record<string, number[]> = { NS: [0], CNAME: [0], PTR: [0], DNAME: [0], MX: [1], SRV: [3], SOA: [0, 1] };
const LABEL = /^([a-z0-9_*]([a-z0-9_-]{0,61}[a-z0-9_])?|\*)$/i;

/** Splits text into logical lines of tokens: comments dropped, parentheses joined, quotes kept whole. */
function logicalLines(text: string, problems: ZoneFileProblem[]): { line: number; indented: boolean; tokens: string[] }[] {
  const out: { line: number; indented: boolean; tokens: string[] }[] = [];
  let current: { line: number; indented: boolean; tokens: string[] } | undefined;
  let depth = 0;
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = n + 1;
    if (depth === 0) current = { line, indented: /^[ \t]/.test(raw), tokens: [] };
    let i = 0;
    while (i < raw.length) {
      const ch = raw[i];
      if (ch === ';') break;
      if (ch === ' ' || ch === '\t') { i++; continue; }
      if (ch === '(') { depth++; i++; continue; }
      if (ch === ')') {
        if (depth === 0) problems.push({ line, problem: 'a ")" closes no "("', fix: 'balance the parentheses' });
        depth = Math.max(0, depth - 1); i++; continue;
      }
      if (ch === '"') {
        let j = i + 1;
        while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
        if (j >= raw.length) { problems.push({ line, problem: 'a quoted string is not closed on its line', fix: 'close the quote' }); break; }
        current!.tokens.push(raw.slice(i, j + 1)); i = j + 1; continue;
      }
      let j = i;
      while (j < raw.length && !' \t;()"'.includes(raw[j])) j += raw[j] === '\\' ? 2 : 1;
      current!.tokens.push(raw.slice(i, j)); i = j;
    }
    if (depth === 0 && current && current.tokens.length > 0) out.push(current);
  }
  if (depth > 0) problems.push({ line: current?.line ?? 1, problem: 'a "(" is never closed', fix: 'balance the parentheses' });
  return out;
}

/** `1h30m` as seconds. */
function seconds(ttl: string): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  for (const [, n, u] of ttl.matchAll(/(\d+)([smhdw]?)/gi)) total += Number(n) * (u ? units[u.toLowerCase()] : 1);
  return total;
}

function isName(token: string): boolean {
  if (token === '@' || token === '.') return true;
  const name = token.endsWith('.') ? token.slice(0, -1) : token;
  return name.length > 0 && name.length <= 253 && name.split('.').every((l) => LABEL.test(l));
}

function absolute(token: string, origin: string): string {
  if (token === '@') return origin;
  if (token.endsWith('.')) return token.slice(0, -1).toLowerCase();
  return `${token}.${origin}`.toLowerCase();
}

/** Problems of a zone file's text for zone `zone`; an empty list means it parses. */
export function zoneFileTextProblems(text: string, zone: string): ZoneFileProblem[] {
  const problems: ZoneFileProblem[] = [];
  let origin = zone;
  let owner: string | undefined;
  let soas = 0;
  let defaultTtl: number | undefined;
  const records: { line: number; owner: string; type: string; ttl?: number; data: string }[] = [];
  for (const { line, indented, tokens } of logicalLines(text, problems)) {
    const push = (problem: string, fix: string) => problems.push({ line, problem, fix });
    const head = tokens[0];
    if (!indented && head.startsWith('$')) {
      const directive = head.toUpperCase();
      if (directive === '$ORIGIN') {
        if (tokens.length !== 2 || !isName(tokens[1]) || !tokens[1].endsWith('.')) push(`"${tokens.join(' ')}" is not $ORIGIN <absolute name>.`, 'write $ORIGIN with one absolute name ending in a dot');
        else origin = tokens[1].slice(0, -1).toLowerCase();
      } else if (directive === '$TTL') {
        if (tokens.length !== 2 || !TTL.test(tokens[1])) push(`"${tokens.join(' ')}" is not $TTL <seconds>`, 'write $TTL 300');
        else if (seconds(tokens[1]) > MAX_TIME) push(`$TTL ${tokens[1]} is more than ${MAX_TIME} seconds`, 'write a TTL such as 300');
        else defaultTtl = seconds(tokens[1]);
      } else if (directive === '$INCLUDE') {
        push('$INCLUDE names another file, which is not shipped with the zone', 'put the included records into this file');
      } else if (directive !== '$GENERATE') {
        push(`unknown directive ${head}`, 'use $ORIGIN, $TTL or $GENERATE');
      }
      continue;
    }
    let rest = tokens;
    if (!indented) {
      if (!isName(head)) { push(`owner "${head}" is not a DNS name`, 'write a name relative to $ORIGIN, @, or absolute with a trailing dot'); continue; }
      owner = absolute(head, origin);
      rest = tokens.slice(1);
    } else if (owner === undefined) {
      push('the first record has no owner name', 'start the line with the owner name (@ for the apex)'); continue;
    }
    let ttl = defaultTtl;
    while (rest.length > 0 && (TTL.test(rest[0]) || CLASSES.has(rest[0].toUpperCase()))) {
      if (TTL.test(rest[0])) ttl = seconds(rest[0]);
      if (TTL.test(rest[0]) && ttl! > MAX_TIME) push(`TTL ${rest[0]} is more than ${MAX_TIME} seconds`, 'write a TTL such as 300');
      rest = rest.slice(1);
    }
    const type = rest[0]?.toUpperCase();
    if (type === undefined) { push('a record without a type', 'write owner, TTL, class, type and data'); continue; }
    const data = rest.slice(1);
    if (!(type in TYPES) && !/^TYPE\d+$/.test(type)) { push(`"${rest[0]}" is not a record type`, 'use A, AAAA, CNAME, MX, NS, SRV, TXT, ... (check the spelling)'); continue; }
    const arity = TYPES[type];
    if (arity !== undefined && data.length !== arity) { push(`${type} takes ${arity} field${arity === 1 ? '' : 's'}, not ${data.length}: "${data.join(' ')}"`, `write the ${type} record's data in full`); continue; }
    if (data.length === 0) { push(`${type} has no data`, `write the ${type} record's data`); continue; }
    if (owner !== zone && !owner.endsWith(`.${zone}`)) push(`owner ${owner} is outside the zone ${zone}`, `write names inside ${zone}`);
    if (type === 'SOA') {
      soas++;
      if (owner !== zone) push(`the SOA is at ${owner}, not at the zone apex ${zone}`, 'put the SOA at @');
      if (!/^\d+$/.test(data[2]) || Number(data[2]) > MAX_TIME) push(`the SOA serial "${data[2]}" is not a whole number up to ${MAX_TIME}`, 'write the serial as digits, by convention YYYYMMDDnn');
      if (!data.slice(3).every((d) => TTL.test(d) && seconds(d) <= MAX_TIME)) push(`the SOA timers "${data.slice(3).join(' ')}" are not times of at most ${MAX_TIME} seconds`, 'write refresh retry expire minimum as seconds (or 1h, 2d, ...)');
    }
    if (type === 'A' && parseIp(data[0])?.family !== 4) push(`"${data[0]}" is not an IPv4 address`, 'write an address such as 192.0.2.10');
    if (type === 'AAAA' && parseIp(data[0])?.family !== 6) push(`"${data[0]}" is not an IPv6 address`, 'write an address such as 2001:db8::10');
    if (type === 'MX' || type === 'SRV') {
      const numbers = type === 'MX' ? data.slice(0, 1) : data.slice(0, 3);
      if (!numbers.every((d) => /^\d+$/.test(d) && Number(d) <= 65535)) push(`${type} ${numbers.join(' ')}: not numbers between 0 and 65535`, 'write the numbers first, then the host name');
    }
    const names = new Set(NAME_FIELDS[type] ?? []);
    records.push({ line, owner, type, ttl, data: data.map((d, i) => (names.has(i) && isName(d) ? absolute(d, origin) : d.toLowerCase())).join(' ') });
    for (const i of NAME_FIELDS[type] ?? []) {
      const name = data[i];
      if (isIp(name) || isIp(name.replace(/\.$/, ''))) push(`${type} points at the address ${name}; it must name a host`, 'write the host name, and give that name an A or AAAA record');
      else if (!isName(name) || (type === 'SOA' && i === 1 && name === '.')) push(`${type} data "${name}" is not a host name`, 'write a host name, absolute with a trailing dot');
    }
  }
  // What `pdnsutil check-zone` reports as errors (and the pod's `set -e` stops at).
  const byOwner = new Map<string, typeof records>();
  for (const rec of records) byOwner.set(rec.owner, [...(byOwner.get(rec.owner) ?? []), rec]);
  for (const [owner, list] of byOwner) {
    const cname = list.find((x) => x.type === 'CNAME');
    if (cname && list.some((x) => x.type !== 'CNAME' && x.type !== 'RRSIG' && x.type !== 'NSEC')) {
      problems.push({ line: cname.line, problem: `${owner} has a CNAME and other records; a CNAME must be the only record at its name`, fix: 'remove the other records, or give the alias its own name' });
    }
    const seen = new Map<string, (typeof records)[number]>();
    const ttls = new Map<string, (typeof records)[number]>();
    for (const rec of list) {
      const key = `${rec.type} ${rec.data}`;
      if (seen.has(key)) problems.push({ line: rec.line, problem: `duplicates the record on line ${seen.get(key)!.line} (${owner} ${key})`, fix: 'remove one of them' });
      seen.set(key, rec);
      const first = ttls.get(rec.type);
      if (first && first.ttl !== undefined && rec.ttl !== undefined && first.ttl !== rec.ttl && rec.type !== 'SOA') {
        problems.push({ line: rec.line, problem: `${owner} ${rec.type} has TTL ${rec.ttl} here but ${first.ttl} on line ${first.line}; one record set has one TTL`, fix: 'give the records of one name and type the same TTL' });
      }
      if (!first) ttls.set(rec.type, rec);
    }
  }
  if (!records.some((x) => x.type === 'NS' && x.owner === zone)) {
    problems.push({ line: 1, problem: `the file has no NS record at the zone apex ${zone}`, fix: `add "@ IN NS ns1.${zone}." with an A record for ns1` });
  }
  if (soas !== 1) problems.push({ line: 1, problem: soas === 0 ? 'the file has no SOA record' : `the file has ${soas} SOA records`, fix: 'give the zone exactly one SOA record, at @' });
  return problems;
}

/** The problems of a zone file on disk (the caller checks that it exists). */
export function zoneFileProblems(path: string, zone: string): ZoneFileProblem[] {
  return zoneFileTextProblems(readFileSync(path, 'utf8'), zone);
}
