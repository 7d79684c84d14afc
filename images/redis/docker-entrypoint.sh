#!/bin/sh
# fleetnet's stand-in for the redis image's entrypoint (tools/images/recipes/redis.sh): options alone
# (the first argument starts with "-") or a .conf file run redis-server with them; anything else runs
# as the command. No user switch: the image's pods run as the redis user already (Argo CD's install
# manifest sets runAsUser 999).
set -e
case "${1:-}" in
  -* | *.conf) set -- redis-server "$@" ;;
  '') set -- redis-server ;;
esac
exec "$@"
