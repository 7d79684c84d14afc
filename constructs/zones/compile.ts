import { isDnsName } from '../common/dns-name';
import { parseIp } from '../common/ip';
import { ownerName, targetName } from './record-names';
import { MAX_TTL, ZONE_DEFAULTS, ZoneProps, ZoneRecord } from './zone';

/** One problem of a zone; `field` is relative to the zone (`records[2].address`). */
export interface ZoneIssue {
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

/** A record with every name resolved and its data in zone-file form. */
export interface CompiledRecord {
  /** Fully qualified owner, lower case, no trailing dot. */
  readonly owner: string;
  readonly type: 'SOA' | 'NS' | ZoneRecord['type'];
  readonly ttl: number;
  /** RDATA as written in a zone file (names fully qualified with trailing dots). */
  readonly rdata: string;
  /** Where it came from, for messages (`records[2]`, `soa`, `nameServers[0]`). */
  readonly field: string;
  /** The fully qualified name it points to (CNAME, MX, SRV, NS). */
  readonly target?: string;
}

/** A typed zone, resolved: SOA first, then NS, then the static records in their written order. */
export interface CompiledZone {
  readonly name: string;
  readonly ttl: number;
  readonly serial: number;
  readonly records: readonly CompiledRecord[];
}

export interface CompileOptions {
  /**
   * Address of the server that serves the zone: the default name server `ns1.<zone>` gets an A/AAAA
   * record with it when `nameServers` is omitted.
   * @default - none; then `nameServers` must be given
   */
  readonly nameServerAddress?: string;
}

const isTtl = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_TTL;
const isU16 = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535;
const PRINTABLE = /^[\x20-\x7e]*$/;

/** Resolves a typed zone and lists every problem with it (an empty list means it renders as written). */
export function compileZone(props: ZoneProps, options: CompileOptions = {}): { zone: CompiledZone; issues: ZoneIssue[] } {
  const issues: ZoneIssue[] = [];
  const issue = (field: string, problem: string, fix: string) => issues.push({ field, problem, fix });
  const zone = props.name;
  const empty = { zone: { name: zone, ttl: ZONE_DEFAULTS.ttl, serial: 0, records: [] }, issues };
  if (!isDnsName(zone)) {
    issue('name', `"${zone}" is not a lower-case DNS name`, 'write the zone without a trailing dot, e.g. static.platform.example');
    return empty;
  }
  const ttl = props.ttl ?? ZONE_DEFAULTS.ttl;
  if (!isTtl(ttl)) issue('ttl', `${ttl} is not a TTL`, `use whole seconds between 0 and ${MAX_TTL}, e.g. 300`);
  const records: CompiledRecord[] = [];
  const soa = compileSoa(props, ttl, issue);
  if (soa) records.push(soa);

  const nameServers = props.nameServers ?? [`ns1.${zone}`];
  if (nameServers.length === 0) issue('nameServers', 'the zone has no name server', `list at least one, or omit nameServers for ns1.${zone}`);
  for (const [i, ns] of nameServers.entries()) {
    const t = targetName(ns);
    if (!t.ok) issue(`nameServers[${i}]`, t.problem, t.fix);
    else records.push({ owner: zone, type: 'NS', ttl, rdata: `${t.fqdn}.`, field: `nameServers[${i}]`, target: t.fqdn });
  }

  for (const [i, record] of (props.records ?? []).entries()) {
    const compiled = compileRecord(record, `records[${i}]`, zone, ttl, issue);
    if (compiled) records.push(compiled);
  }

  if (props.nameServers === undefined) {
    const ns1 = `ns1.${zone}`;
    const hasAddress = records.some((r) => r.owner === ns1 && (r.type === 'A' || r.type === 'AAAA'));
    const ip = options.nameServerAddress !== undefined ? parseIp(options.nameServerAddress) : undefined;
    // Without an address the NS check below reports the missing glue.
    if (!hasAddress && ip) {
      const afterNs = records.filter((r) => r.type === 'SOA' || r.type === 'NS').length;
      records.splice(afterNs, 0, { owner: ns1, type: ip.family === 4 ? 'A' : 'AAAA', ttl, rdata: options.nameServerAddress!.toLowerCase(), field: 'nameServers' });
    }
  }

  checkNames(zone, records, issue);
  return { zone: { name: zone, ttl, serial: props.soa?.serial ?? 0, records }, issues };
}

type Issue = (field: string, problem: string, fix: string) => void;

function compileSoa(props: ZoneProps, ttl: number, issue: Issue): CompiledRecord | undefined {
  const soa = props.soa;
  if (!soa) {
    issue('soa', 'the zone has no SOA', 'give soa: { serial: 2026010101 }');
    return undefined;
  }
  const zone = props.name;
  let ok = true;
  if (!Number.isInteger(soa.serial) || soa.serial < 1 || soa.serial > 4294967295) {
    issue('soa.serial', `${soa.serial} is not an SOA serial`, 'use a whole number between 1 and 4294967295, by convention YYYYMMDDnn');
    ok = false;
  }
  const timers = { refresh: soa.refresh ?? ZONE_DEFAULTS.refresh, retry: soa.retry ?? ZONE_DEFAULTS.retry, expire: soa.expire ?? ZONE_DEFAULTS.expire, negativeTtl: soa.negativeTtl ?? ZONE_DEFAULTS.negativeTtl };
  for (const [key, value] of Object.entries(timers)) {
    if (!isTtl(value) || value === 0) {
      issue(`soa.${key}`, `${value} is not a time in seconds`, `use whole seconds between 1 and ${MAX_TTL}`);
      ok = false;
    }
  }
  const mailbox = soa.hostmaster ?? `hostmaster@${zone}`;
  const rname = mailboxName(mailbox);
  if (!rname) {
    issue('soa.hostmaster', `"${mailbox}" is not an e-mail address`, `write an address such as hostmaster@${zone}`);
    ok = false;
  }
  const primary = (props.nameServers ?? [`ns1.${zone}`])[0];
  const mname = primary === undefined ? undefined : targetName(primary);
  if (!ok || !mname?.ok) return undefined;
  const rdata = `${mname.fqdn}. ${rname} ${soa.serial} ${timers.refresh} ${timers.retry} ${timers.expire} ${timers.negativeTtl}`;
  return { owner: zone, type: 'SOA', ttl, rdata, field: 'soa' };
}

/** `first.last@example.org` as an SOA RNAME: `first\.last.example.org.` */
function mailboxName(mail: string): string | undefined {
  const match = /^([a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*)@([^@]+)$/i.exec(mail.trim());
  if (!match) return undefined;
  const domain = targetName(match[2]);
  if (!domain.ok) return undefined;
  return `${match[1].toLowerCase().replace(/\./g, '\\.')}.${domain.fqdn}.`;
}

function compileRecord(record: ZoneRecord, field: string, zone: string, zoneTtl: number, issue: Issue): CompiledRecord | undefined {
  const owner = ownerName(String(record.name ?? ''), zone);
  if (!owner.ok) issue(`${field}.name`, owner.problem, owner.fix);
  const ttl = record.ttl ?? zoneTtl;
  if (!isTtl(ttl)) issue(`${field}.ttl`, `${ttl} is not a TTL`, `use whole seconds between 0 and ${MAX_TTL}`);
  const data = recordData(record, field, issue);
  if (!owner.ok || !isTtl(ttl) || !data) return undefined;
  return { owner: owner.fqdn, type: record.type, ttl, field, ...data };
}

function recordData(record: ZoneRecord, field: string, issue: Issue): { rdata: string; target?: string } | undefined {
  const target = (key: string, value: string) => {
    const t = targetName(String(value ?? ''));
    if (!t.ok) issue(`${field}.${key}`, t.problem, t.fix);
    return t.ok ? t.fqdn : undefined;
  };
  const u16 = (key: string, value: number) => {
    if (!isU16(value)) issue(`${field}.${key}`, `${value} is not a number between 0 and 65535`, `give a whole number between 0 and 65535`);
    return isU16(value);
  };
  switch (record.type) {
    case 'A':
    case 'AAAA': {
      const ip = parseIp(String(record.address ?? ''));
      const family = record.type === 'A' ? 4 : 6;
      if (ip?.family === family) return { rdata: record.address.toLowerCase() };
      const other = ip ? ` (an IPv${ip.family} address belongs in ${ip.family === 4 ? 'an A' : 'an AAAA'} record)` : '';
      issue(`${field}.address`, `"${record.address}" is not an IPv${family} address${other}`, family === 4 ? 'write an address such as 192.0.2.10' : 'write an address such as 2001:db8::10');
      return undefined;
    }
    case 'CNAME': {
      const t = target('target', record.target);
      return t ? { rdata: `${t}.`, target: t } : undefined;
    }
    case 'TXT': {
      const text = String(record.text ?? '');
      if (!PRINTABLE.test(text)) {
        issue(`${field}.text`, 'contains characters other than printable ASCII', 'use printable ASCII only (encode anything else, e.g. base64)');
        return undefined;
      }
      const chunks = text.match(/[\s\S]{1,255}/g) ?? [''];
      return { rdata: chunks.map((c) => `"${c.replace(/[\\"]/g, '\\$&')}"`).join(' ') };
    }
    case 'MX': {
      const ok = u16('preference', record.preference);
      const t = target('exchange', record.exchange);
      return ok && t ? { rdata: `${record.preference} ${t}.`, target: t } : undefined;
    }
    case 'SRV': {
      const ok = [u16('priority', record.priority), u16('weight', record.weight), u16('port', record.port)].every(Boolean);
      if (String(record.target).trim() === '.') return ok ? { rdata: `${record.priority} ${record.weight} ${record.port} .` } : undefined;
      const t = target('target', record.target);
      return ok && t ? { rdata: `${record.priority} ${record.weight} ${record.port} ${t}.`, target: t } : undefined;
    }
    default: {
      const type = (record as { type?: unknown }).type;
      issue(`${field}.type`, `"${String(type)}" is not a record type fleetnet renders`, 'use A, AAAA, CNAME, TXT, MX or SRV; anything else goes in a hand-written zone file');
      return undefined;
    }
  }
}

/** Rules across records: CNAME stands alone, no duplicates, one TTL per RRset, glue for in-zone servers. */
function checkNames(zone: string, records: readonly CompiledRecord[], issue: Issue): void {
  const byOwner = new Map<string, CompiledRecord[]>();
  for (const r of records) byOwner.set(r.owner, [...(byOwner.get(r.owner) ?? []), r]);
  const cnames = new Set<string>();
  for (const [owner, list] of byOwner) {
    const aliases = list.filter((r) => r.type === 'CNAME');
    if (aliases.length === 0) continue;
    cnames.add(owner);
    const others = list.filter((r) => r !== aliases[0]);
    if (owner === zone) {
      issue(`${aliases[0].field}.name`, `a CNAME cannot be at the zone apex ${zone}, which holds the SOA and NS records`, 'give the alias its own name, e.g. www');
    } else if (others.length > 0) {
      const what = others.map((o) => `${o.type} (${o.field})`).join(', ');
      issue(`${aliases[0].field}.name`, `${owner} has a CNAME and other data: ${what}; a CNAME must be the only record at its name`, 'remove the other records, or point them at another name');
    }
    if (aliases[0].target === owner) issue(`${aliases[0].field}.target`, `the CNAME ${owner} points at itself`, 'point it at another name');
  }
  const seen = new Map<string, CompiledRecord>();
  const rrsetTtl = new Map<string, CompiledRecord>();
  for (const r of records) {
    const key = `${r.owner} ${r.type} ${r.rdata}`;
    const before = seen.get(key);
    if (before) issue(`${r.field}`, `duplicates ${before.field} (${r.owner} ${r.type} ${r.rdata})`, 'remove one of them');
    seen.set(key, r);
    const set = `${r.owner} ${r.type}`;
    const first = rrsetTtl.get(set);
    if (first && first.ttl !== r.ttl && r.type !== 'SOA') {
      issue(`${r.field}.ttl`, `${r.owner} ${r.type} has TTL ${r.ttl} here but ${first.ttl} at ${first.field}; one record set has one TTL`, 'give the records of one name and type the same TTL');
    }
    if (!first) rrsetTtl.set(set, r);
  }
  for (const r of records) {
    if (!r.target) continue;
    const inZone = r.target === zone || r.target.endsWith(`.${zone}`);
    if ((r.type === 'MX' || r.type === 'SRV' || r.type === 'NS') && cnames.has(r.target)) {
      issue(r.field, `${r.type} points at ${r.target}, which is a CNAME; RFC 2181 forbids that`, 'point it at the name that has the address records');
    }
    if (r.type === 'NS' && inZone && !records.some((a) => a.owner === r.target && (a.type === 'A' || a.type === 'AAAA'))) {
      issue(r.field, `name server ${r.target} is inside the zone but has no A or AAAA record, so nobody can reach it`, `add an A record for ${r.target.slice(0, -zone.length - 1)}`);
    }
  }
  for (const r of records) {
    if (r.type === 'SRV' && !/^_[a-z0-9-]+\._[a-z0-9-]+(\.|$)/.test(r.owner)) {
      issue(`${r.field}.name`, `SRV name ${r.owner} does not start with _service._protocol`, 'name it like _sip._tcp or _ldap._tcp.office');
    }
  }
}
