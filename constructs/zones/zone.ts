/**
 * Zones kept in Git, as typed data: SOA, name servers and static records, rendered to BIND text by
 * `renderZone`. A zone can also be a hand-written BIND file (`ZoneFileProps`).
 */

interface RecordBase {
  /** Owner name relative to the zone (`www`, `_sip._tcp`, `@` for the apex), or absolute with a trailing dot. */
  readonly name: string;
  /**
   * TTL in seconds.
   * @default the zone's `ttl`
   */
  readonly ttl?: number;
}

export interface ARecord extends RecordBase {
  readonly type: 'A';
  /** An IPv4 address. */
  readonly address: string;
}

export interface AaaaRecord extends RecordBase {
  readonly type: 'AAAA';
  /** An IPv6 address. */
  readonly address: string;
}

export interface CnameRecord extends RecordBase {
  readonly type: 'CNAME';
  /** Fully qualified name the alias points to (trailing dot optional). */
  readonly target: string;
}

export interface TxtRecord extends RecordBase {
  readonly type: 'TXT';
  /** The text, printable ASCII; split into 255-byte strings when longer. */
  readonly text: string;
}

export interface MxRecord extends RecordBase {
  readonly type: 'MX';
  /** Lower is preferred, 0-65535. */
  readonly preference: number;
  /** Fully qualified name of the mail server. */
  readonly exchange: string;
}

export interface SrvRecord extends RecordBase {
  readonly type: 'SRV';
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  /** Fully qualified name of the host, or `.` for "no such service here". */
  readonly target: string;
}

/** A static record of a zone. */
export type ZoneRecord = ARecord | AaaaRecord | CnameRecord | TxtRecord | MxRecord | SrvRecord;

/** The SOA record of a zone. */
export interface SoaProps {
  /**
   * Serial number (1-4294967295). Raise it on every change in Git (YYYYMMDDnn by convention):
   * secondaries transfer the zone only when it grows. API edits by external-dns raise it further.
   */
  readonly serial: number;
  /**
   * The administrator's e-mail address.
   * @default `hostmaster@<zone>`
   */
  readonly hostmaster?: string;
  /** @default 3600 */
  readonly refresh?: number;
  /** @default 600 */
  readonly retry?: number;
  /** @default 1209600 (two weeks) */
  readonly expire?: number;
  /**
   * TTL of negative answers (NXDOMAIN, NODATA) in seconds.
   * @default 60
   */
  readonly negativeTtl?: number;
}

/** A zone written as typed data. */
export interface ZoneProps {
  /** The zone name, lower case without trailing dot: `static.platform.example`. */
  readonly name: string;
  readonly soa: SoaProps;
  /**
   * Fully qualified names of the zone's name servers (NS records at the apex). A name inside the zone
   * needs an A or AAAA record among `records`.
   * @default [`ns1.<zone>`], with an address record pointing at the PowerDNS Service that serves it
   */
  readonly nameServers?: readonly string[];
  /**
   * Default TTL of the records, in seconds.
   * @default 300
   */
  readonly ttl?: number;
  /**
   * Static records. Names external-dns publishes from the cluster come on top, never in conflict:
   * external-dns leaves a name alone that it does not own.
   * @default []
   */
  readonly records?: readonly ZoneRecord[];
}

/** A zone kept as a hand-written BIND file, loaded as it is. */
export interface ZoneFileProps {
  /** The zone name; also the file's default origin. */
  readonly name: string;
  /**
   * Absolute path of the file, e.g. `join(__dirname, 'zones', 'legacy.platform.example.zone')` in a
   * cluster file. The tests load it into a real PowerDNS with the same commands the pod runs.
   */
  readonly file: string;
}

/** A zone of a cluster: typed, or a hand-written file. */
export type ZoneSource = ZoneProps | ZoneFileProps;

export function isZoneFile(zone: ZoneSource): zone is ZoneFileProps {
  return 'file' in zone;
}

/** Defaults applied to a typed zone. */
export const ZONE_DEFAULTS = { ttl: 300, refresh: 3600, retry: 600, expire: 1209600, negativeTtl: 60 } as const;

/** The largest TTL DNS allows (RFC 2181: 2^31 - 1). */
export const MAX_TTL = 2147483647;
