# registry.k8s.io/external-dns/external-dns: upstream builds it with ko (Makefile
# build.push/multiarch, .ko.yaml: base gcr.io/distroless/static-debian12:latest). ko's layout: a
# kodata layer (/var, /var/run, /var/run/ko, mode 0555), the binary at /ko-app/<name> (0555),
# ENTRYPOINT ["/ko-app/external-dns"], no Cmd, PATH gains :/ko-app, KO_DATA_PATH=/var/run/ko,
# user and workdir from the base (0, /). Ours: the binary tools/external-dns/build.sh builds.
recipe() {
  local bin
  bin=$(bash "$root/tools/external-dns/build.sh")
  image "$(catalog_ref externalDns)"
  distroless_static
  layer "kodata: ko's \$KO_DATA_PATH (empty: external-dns ships no kodata)"
  dir /var 0555
  dir /var/run 0555
  dir /var/run/ko 0555
  layer "app: external-dns $(catalog_version externalDnsModule), at ko's /ko-app"
  dir /ko-app 0555
  put "$bin" /ko-app/external-dns 0555
  config "{\"Entrypoint\":[\"/ko-app/external-dns\"],\"User\":\"0\",\"WorkingDir\":\"/\",\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/ko-app\",\"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt\",\"KO_DATA_PATH=/var/run/ko\"]}"
}
