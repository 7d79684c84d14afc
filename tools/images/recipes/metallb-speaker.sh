# quay.io/metallb/speaker: upstream's speaker/Dockerfile puts the binary at /speaker (plus
# /cp-tool, /frr-metrics and /frr-reloader.sh, used only by the FRR sidecars of the FRR mode,
# which our manifests do not run) and the LICENSE at /, on gcr.io/distroless/static (user 0,
# workdir /), no USER line, ENTRYPOINT ["/speaker"].
recipe() {
  local bin
  bin=$(bash "$root/tools/metallb/build.sh" | sed -n 2p)
  image "$(catalog_ref metallbSpeaker)"
  distroless_static
  layer "app: MetalLB speaker $(catalog_version metallb) (go.universe.tf/metallb/speaker; FRR tools left out)"
  put "$bin" /speaker 0755
  put "$(module_dir metallb)/LICENSE" /LICENSE 0644
  config "{\"Entrypoint\":[\"/speaker\"],\"User\":\"0\",\"WorkingDir\":\"/\",\"Env\":[$distroless_env]}"
}
