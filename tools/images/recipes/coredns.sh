# ghcr.io/fleetnet/coredns: our CoreDNS, laid out as images/coredns/Dockerfile lays it out: the
# binary of images/coredns/build.sh (the Dockerfile's own `go build` line) at /coredns, the same
# binary with the file capability cap_net_bind_service+ep at /coredns-netbind, on distroless
# static nonroot, USER 65532:65532, ENTRYPOINT ["/coredns"], the Dockerfile's EXPOSE list.
recipe() {
  local bin
  bin=$(bash "$root/images/coredns/build.sh")
  image "$(catalog_ref coredns)"
  distroless_static
  layer "app: CoreDNS (images/coredns), as images/coredns/Dockerfile"
  put "$bin" /coredns 0755
  put "$bin" /coredns-netbind 0755
  capability /coredns-netbind CAP_NET_BIND_SERVICE
  config "{\"Entrypoint\":[\"/coredns\"],\"User\":\"65532:65532\",\"WorkingDir\":\"/home/nonroot\",\"Env\":[$distroless_env],\"ExposedPorts\":{\"1053/udp\":{},\"1053/tcp\":{},\"8080/tcp\":{},\"9153/tcp\":{},\"8181/tcp\":{}}}"
}
