/**
 * The init container's script: a fresh database from the schema, then every zone file loaded and
 * checked, with SOA-EDIT-API so that external-dns's API edits raise the serial; finally the API key
 * as a pdns.conf fragment. Paths come from pdns.conf and the environment, so the tests run this very
 * text against Debian's PowerDNS. Any error stops the pod before it serves a half-loaded zone.
 */
export const LOAD_ZONES_SCRIPT = `#!/bin/sh
set -eu
conf_dir=\${PDNS_CONFIG_DIR:?}
zone_dir=\${PDNS_ZONE_DIR:?}
setting() { sed -n "s/^$1=//p" "$conf_dir/pdns.conf" | tail -n 1; }
db=$(setting gsqlite3-database)
secret_dir=$(setting include-dir)

rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
sqlite3 "$db" < "\${PDNS_SCHEMA:?}"
loaded=0
for file in "$zone_dir"/*.zone; do
  [ -e "$file" ] || continue
  zone=$(basename "$file" .zone)
  pdnsutil --config-dir="$conf_dir" load-zone "$zone" "$file"
  pdnsutil --config-dir="$conf_dir" set-meta "$zone" SOA-EDIT-API DEFAULT
  pdnsutil --config-dir="$conf_dir" check-zone "$zone"
  loaded=$((loaded + 1))
done
[ "$loaded" -gt 0 ] || { echo "no zone files in $zone_dir" >&2; exit 1; }

umask 077
printf 'api-key=%s\\n' "\${PDNS_API_KEY:?}" > "$secret_dir/api-key.conf"
echo "loaded $loaded zone(s) into $db"
`;
