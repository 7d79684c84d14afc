# The redis image Argo CD's install manifest names (manifests/install.yaml of the catalog's argo-cd/v3
# module, read here, so the reference is never written twice: public.ecr.aws/docker/library/redis:<tag>).
# Upstream (docker-library/redis, the alpine variant): redis-server, redis-cli, redis-benchmark and the
# check tools in /usr/local/bin, user redis uid 999 (group redis 1000), /data owned by it as WORKDIR and
# VOLUME, ENTRYPOINT ["docker-entrypoint.sh"] (options alone run redis-server; as root it steps down to
# redis), CMD ["redis-server"], EXPOSE 6379.
# Ours: Debian 12's redis-server (redis-tools' binary, from this host, with the libraries ldd names) at
# upstream's paths, glibc instead of musl, our own shell entrypoint (images/redis/docker-entrypoint.sh,
# no step-down), dash as /bin/sh. The label io.fleetnet.debian-packages says what is in it: Debian
# has 7.0, so the tag names another release than the binary's (see README).
recipe() {
  local src ref
  debian_installed redis-tools redis-server dash
  src=$(GOTOOLCHAIN=${ARGOCD_GOTOOLCHAIN:-go1.27.4} module_dir argocdModule)
  ref=$(sed -nE 's/^\s+image: (\S+\/redis:\S+)$/\1/p' "$src/manifests/install.yaml" | sort -u)
  [ -n "$ref" ] && [ "$(wc -l <<<"$ref")" -eq 1 ] || { echo "images: redis: expected one redis image in $src/manifests/install.yaml, found: ${ref:-none}" >&2; exit 1; }
  image "$ref"
  layer "redis: Debian $(debian_versions redis-tools) at the paths of the official image"
  usrmerge
  put /usr/bin/redis-check-rdb /usr/local/bin/redis-server 0755
  with_libs /usr/bin/redis-check-rdb
  link redis-server /usr/local/bin/redis-check-rdb
  link redis-server /usr/local/bin/redis-check-aof
  link redis-server /usr/local/bin/redis-sentinel
  put /usr/bin/redis-cli /usr/local/bin/redis-cli 0755
  with_libs /usr/bin/redis-cli
  put "$root/images/redis/docker-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh 0755
  put /usr/bin/dash /usr/bin/dash 0755
  with_libs /usr/bin/dash
  link dash /usr/bin/sh
  debian_accounts redis 999 1000 /data /usr/sbin/nologin
  dir /data 0755
  owner /data 999:1000
  dir /tmp 1777
  dir /root 0700
  config "{\"Entrypoint\":[\"docker-entrypoint.sh\"],\"Cmd\":[\"redis-server\"],\"WorkingDir\":\"/data\",\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"ExposedPorts\":{\"6379/tcp\":{}},\"Volumes\":{\"/data\":{}},\"Labels\":{\"io.fleetnet.debian-packages\":\"$(debian_versions redis-tools)\"}}"
}
