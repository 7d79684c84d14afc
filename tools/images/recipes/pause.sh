# registry.k8s.io/pause: the sandbox image. Upstream (kubernetes build/pause/Dockerfile): FROM
# scratch, the static program at /pause, USER 65535:65535, ENTRYPOINT ["/pause"]. Ours is
# images/pause.
recipe() {
  image "$(catalog_ref pause)"
  layer "pause: images/pause (fleetnet's own sandbox program)"
  put "$(bash "$root/images/pause/build.sh")" /pause 0755
  config '{"Entrypoint":["/pause"],"User":"65535:65535"}'
}
