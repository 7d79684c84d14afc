# distroless_static: one layer standing in for gcr.io/distroless/static-debian12, the base of
# our CoreDNS, MetalLB and external-dns images (facts and sources: tools/images/README.md). Its
# files come from this Debian host (ca-certificates, netbase, tzdata); passwd, group and
# nsswitch.conf are written here with distroless's users: root 0, nobody 65534, nonroot 65532.
# The variant (root or nonroot) is image config, not files: see distroless_env and the recipes.
# shellcheck shell=bash

# Env of every distroless static image.
distroless_env='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"'

distroless_static() {
  layer "base: distroless static (Debian 12) stand-in: users, CA certificates, netbase, tzdata, /tmp"
  text /etc/passwd 0644 <<'TXT'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
TXT
  text /etc/group 0644 <<'TXT'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
TXT
  text /etc/nsswitch.conf 0644 <<'TXT'
passwd:         files
group:          files
shadow:         files
hosts:          files dns
networks:       files
protocols:      files
services:       files
TXT
  put /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt 0644
  put /etc/services /etc/services 0644
  put /etc/protocols /etc/protocols 0644
  tree /usr/share/zoneinfo /usr/share/zoneinfo
  dir /tmp 1777
  dir /root 0700
  dir /home 0755
  dir /home/nonroot 0700
  owner /home/nonroot 65532:65532
}
