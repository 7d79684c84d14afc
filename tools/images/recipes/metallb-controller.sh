# quay.io/metallb/controller: upstream's controller/Dockerfile puts the binary at /controller and
# the LICENSE at /, on gcr.io/distroless/static (root variant: user 0, workdir /), no USER line,
# ENTRYPOINT ["/controller"]. Ours: the binary tools/metallb/build.sh builds from the module.
recipe() {
  local bin
  bin=$(bash "$root/tools/metallb/build.sh" | sed -n 1p)
  image "$(catalog_ref metallbController)"
  distroless_static
  layer "app: MetalLB controller $(catalog_version metallb) (go.universe.tf/metallb/controller)"
  put "$bin" /controller 0755
  put "$(module_dir metallb)/LICENSE" /LICENSE 0644
  config "{\"Entrypoint\":[\"/controller\"],\"User\":\"0\",\"WorkingDir\":\"/\",\"Env\":[$distroless_env]}"
}
