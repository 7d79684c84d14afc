/**
 * Where things are inside the PowerDNS pod. The official image (powerdns/pdns-auth-*) installs
 * under /usr/local and runs as user pdns (953); everything it writes lives in emptyDirs, because the
 * root filesystem is read-only.
 */
export const PDNS_LAYOUT = {
  /** pdns.conf and the zone loader script (ConfigMap). */
  configDir: '/etc/powerdns/fleetnet',
  /** One BIND file per zone, `<zone>.zone` (ConfigMap). */
  zoneDir: '/etc/powerdns/zones',
  /** The SQLite database, rebuilt at every pod start (emptyDir). */
  dataDir: '/var/lib/powerdns',
  /** The API key as a pdns.conf fragment, written by the init container from the Secret (memory emptyDir). */
  secretDir: '/etc/powerdns/secret.d',
  /** pdns_server's control socket (emptyDir). */
  socketDir: '/var/run/pdns',
  /** The gsqlite3 schema shipped in the image. */
  schema: '/usr/local/share/doc/pdns/schema.sqlite3.sql',
  pdnsServer: '/usr/local/sbin/pdns_server',
} as const;

/** Port PowerDNS answers DNS on; the Service maps 53 to it, so no capability is needed to bind. */
export const PDNS_DNS_PORT = 5353;
/** Port of PowerDNS's API and webserver, bound to 127.0.0.1: only the pod's own external-dns reaches it. */
export const PDNS_API_PORT = 8081;
/** User and group of the official image. */
export const PDNS_UID = 953;
