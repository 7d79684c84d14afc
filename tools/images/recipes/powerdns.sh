# docker.io/powerdns/pdns-auth-49: PowerDNS Authoritative. Upstream (PowerDNS/pdns Dockerfile-auth
# at tag auth-4.9.17): debian:11-slim plus python3/jinja2, sqlite3, tini; pdns built with
# --sysconfdir=/etc/powerdns into /usr/local (pdns_server in /usr/local/sbin, pdnsutil in
# /usr/local/bin, modules in /usr/local/lib/pdns, schema /usr/local/share/doc/pdns/schema.sqlite3.sql);
# /etc/powerdns/pdns.conf (launch=gsqlite3, the database at /var/lib/powerdns/pdns.sqlite3,
# include-dir=/etc/powerdns/pdns.d); user pdns uid 953 (group pdns) owning /var/run/pdns,
# /var/lib/powerdns, /etc/powerdns/pdns.d, /etc/powerdns/templates.d; the database created from the
# schema at build time; USER pdns; ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/sbin/pdns_server-startup"].
#
# Ours: Debian 12's packages (pdns-server, pdns-backend-sqlite3, sqlite3 from this host; tini from
# its .deb) with the shared libraries ldd names, at upstream's paths; the gsqlite3 module stays in
# the Debian binary's compiled-in module-dir (/usr/lib/x86_64-linux-gnu/pdns), linked from
# /usr/local/lib/pdns. The manifests' load-zones init container runs /bin/sh with sed, tail, rm,
# basename, sqlite3 and pdnsutil: dash and those coreutils come from this host too. The startup
# script is our own shell stand-in for upstream's Python one (same entrypoint path and job):
# images/powerdns/pdns_server-startup.
recipe() {
  local tini bin
  debian_installed pdns-server pdns-backend-sqlite3 sqlite3 dash coreutils sed
  tini=$(debian_unpacked tini)
  image "$(catalog_ref powerdns)"
  layer "powerdns: Debian $(debian_versions pdns-server pdns-backend-sqlite3 sqlite3) at the paths of the official image"
  usrmerge
  put /usr/sbin/pdns_server /usr/local/sbin/pdns_server 0755
  with_libs /usr/sbin/pdns_server
  put /usr/bin/pdnsutil /usr/local/bin/pdnsutil 0755
  with_libs /usr/bin/pdnsutil
  put /usr/lib/x86_64-linux-gnu/pdns/libgsqlite3backend.so /usr/lib/x86_64-linux-gnu/pdns/libgsqlite3backend.so 0644
  with_libs /usr/lib/x86_64-linux-gnu/pdns/libgsqlite3backend.so
  link /usr/lib/x86_64-linux-gnu/pdns /usr/local/lib/pdns
  put /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql /usr/local/share/doc/pdns/schema.sqlite3.sql 0644
  put /usr/bin/sqlite3 /usr/bin/sqlite3 0755
  with_libs /usr/bin/sqlite3
  put "$tini/usr/bin/tini" /usr/bin/tini 0755
  with_libs "$tini/usr/bin/tini"
  put /usr/bin/dash /usr/bin/dash 0755
  with_libs /usr/bin/dash
  link dash /usr/bin/sh
  for bin in sed tail rm basename cat ls mkdir env id; do
    put "/usr/bin/$bin" "/usr/bin/$bin" 0755
    with_libs "/usr/bin/$bin"
  done
  put "$root/images/powerdns/pdns_server-startup" /usr/local/sbin/pdns_server-startup 0755
  text /etc/powerdns/pdns.conf 0644 <<'TXT'
# The default configuration of the PowerDNS image (fleetnet's stand-in, see tools/images/README.md);
# fleetnet's pods pass --config-dir=/etc/powerdns/fleetnet instead.
local-address=0.0.0.0,::
launch=gsqlite3
gsqlite3-dnssec
gsqlite3-database=/var/lib/powerdns/pdns.sqlite3
include-dir=/etc/powerdns/pdns.d
TXT
  debian_accounts pdns 953 953 /nonexistent /usr/sbin/nologin
  local d
  for d in /var/run/pdns /var/lib/powerdns /etc/powerdns/pdns.d /etc/powerdns/templates.d; do
    dir "$d" 0755
    owner "$d" 953:953
  done
  pdns_database /var/lib/powerdns/pdns.sqlite3
  owner /var/lib/powerdns/pdns.sqlite3 953:953
  dir /tmp 1777
  dir /root 0700
  config "{\"Entrypoint\":[\"/usr/bin/tini\",\"--\",\"/usr/local/sbin/pdns_server-startup\"],\"User\":\"pdns\",\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"ExposedPorts\":{\"53/udp\":{},\"53/tcp\":{},\"8081/tcp\":{}},\"Labels\":{\"io.fleetnet.debian-packages\":\"$(debian_versions pdns-server pdns-backend-sqlite3 sqlite3) $(basename "$tini" | sed "s/_/=/; s/%3a/:/")\"}}"
}

# pdns_database PATH: the empty gsqlite3 database upstream creates at build time, from the schema.
pdns_database() {
  local d schema=/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
  _dest "$1"
  _plan "sqlite3 $1 $(sha256sum "$schema" | cut -c1-16) $(dpkg-query -W -f='${Version}' sqlite3)"
  if [ "$RECIPE_MODE" = stage ]; then _parent "$d" && sqlite3 "$d" <"$schema" && chmod 0644 "$d"; fi
}
