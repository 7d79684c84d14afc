import { PDNS_API_PORT, PDNS_DNS_PORT, PDNS_LAYOUT } from './names';

export interface PdnsConfProps {
  /** `0.0.0.0` for an IPv4 Service address, `::` for IPv6. */
  readonly listenAddress: string;
  /**
   * Addresses (CIDRs) besides loopback that may transfer the zones (AXFR), e.g. secondaries.
   * @default []
   */
  readonly allowAxfrFrom?: readonly string[];
}

/**
 * pdns.conf of the stateless PowerDNS: gsqlite3 on the database the init container builds, DNS on a
 * high port, the API on 127.0.0.1 only, the key from the include directory the init container writes.
 */
export function pdnsConf(props: PdnsConfProps): string {
  const settings: [string, string][] = [
    ['launch', 'gsqlite3'],
    ['gsqlite3-database', `${PDNS_LAYOUT.dataDir}/pdns.sqlite3`],
    ['local-address', props.listenAddress],
    ['local-port', String(PDNS_DNS_PORT)],
    ['api', 'yes'],
    ['webserver-address', '127.0.0.1'],
    ['webserver-port', String(PDNS_API_PORT)],
    ['webserver-allow-from', '127.0.0.1'],
    ['include-dir', PDNS_LAYOUT.secretDir],
    ['socket-dir', PDNS_LAYOUT.socketDir],
    ['allow-axfr-ips', ['127.0.0.0/8', '::1', ...(props.allowAxfrFrom ?? [])].join(',')],
    // No security poll: it asks the Internet about this version; Renovate keeps the version current.
    ['security-poll-suffix', ''],
  ];
  return ['# PowerDNS Authoritative, rebuilt from Git at every pod start (fleetnet).', ...settings.map(([k, v]) => `${k}=${v}`), ''].join('\n');
}
