#!/usr/bin/env bash
# Installs the Debian packages the tests run (real DNS clients and servers, CNI plugins, arping; ipset for
# the lab's NetworkPolicy enforcer, kube-router), when missing.
set -euo pipefail
packages=(dnsutils dnsperf containernetworking-plugins iproute2 iptables ipset iputils-arping busybox pdns-server pdns-backend-sqlite3 sqlite3 lua5.1 runc redis-server redis-tools git gpg gpg-agent libcap2-bin ca-certificates tzdata netbase)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "== installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
