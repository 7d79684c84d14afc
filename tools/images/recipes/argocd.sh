# quay.io/argoproj/argocd:<argocdModule version>, only when tools/argocd/build.sh has built
# .cache/bin/argocd-<version> (this recipe never starts that long build). Upstream (the module's
# Dockerfile, final stage on argocd-base): Ubuntu with git, tini, ca-certificates, gpg, tzdata,
# openssh-client; /usr/local/bin/argocd with one link per command (argocd-server, -repo-server,
# -application-controller, ...); hack/gpg-wrapper.sh, hack/git-verify-wrapper.sh and entrypoint.sh
# in /usr/local/bin (uid_entrypoint.sh -> entrypoint.sh); user argocd 999 (group argocd 999), home
# /home/argocd owned 999:0 mode 0775; /app/config/{ssh/ssh_known_hosts,tls,gpg/source,gpg/keys}
# with /etc/ssh/ssh_known_hosts -> /app/config/ssh/ssh_known_hosts; Env USER=argocd,
# ARGOCD_USER_ID=999, GRPC_ENABLE_TXT_SERVICE_CONFIG=false; USER 999, WORKDIR /home/argocd,
# ENTRYPOINT ["/usr/bin/tini", "--"].
# Ours: tools/argocd's binary (the module's own cmd/ program, every command; the web UI is not in the
# module), a link per command as upstream's Dockerfile makes them, Debian 12's git (with
# /usr/lib/git-core and the libraries ldd names), gpg and gpg-agent (the repo-server creates its
# keyring with them at start), tini, and the shell tools install.yaml's init containers run (sh, cp,
# ln); no ssh, helm, kustomize or git-lfs (see README).
recipe() {
  local version bin src f
  version=$(catalog_version argocdModule)
  bin=$root/.cache/bin/argocd-$version
  [ -x "$bin" ] || { RECIPE_SKIP="argocd: $bin is not built (tools/argocd/build.sh); image skipped"; return 0; }
  # The module asks for a newer Go than the machine's, as in tools/argocd/build.sh.
  src=$(GOTOOLCHAIN=${ARGOCD_GOTOOLCHAIN:-go1.27.4} module_dir argocdModule)
  debian_installed git dash gpg gpg-agent coreutils
  local tini; tini=$(debian_unpacked tini)
  image "quay.io/argoproj/argocd:$version"
  layer "argocd: Argo CD $version (tools/argocd: the module's cmd program) with Debian's git and gpg"
  usrmerge
  put "$bin" /usr/local/bin/argocd 0755
  for f in argocd-server argocd-repo-server argocd-cmp-server argocd-application-controller argocd-dex \
    argocd-notifications argocd-applicationset-controller argocd-k8s-auth argocd-commit-server; do
    link argocd "/usr/local/bin/$f"
  done
  put "$src/hack/git-verify-wrapper.sh" /usr/local/bin/git-verify-wrapper.sh 0755
  put "$src/hack/gpg-wrapper.sh" /usr/local/bin/gpg-wrapper.sh 0755
  put "$src/entrypoint.sh" /usr/local/bin/entrypoint.sh 0755
  link /usr/local/bin/entrypoint.sh /usr/local/bin/uid_entrypoint.sh
  put /usr/bin/git /usr/bin/git 0755
  with_libs /usr/bin/git
  tree /usr/lib/git-core /usr/lib/git-core
  with_libs /usr/lib/git-core/git-remote-http
  tree /usr/share/git-core /usr/share/git-core
  put "$tini/usr/bin/tini" /usr/bin/tini 0755
  with_libs "$tini/usr/bin/tini"
  put /usr/bin/dash /usr/bin/dash 0755
  link dash /usr/bin/sh
  for f in gpg gpg-agent; do put "/usr/bin/$f" "/usr/bin/$f" 0755; with_libs "/usr/bin/$f"; done
  for f in cat cp ln ls mkdir env id sed head basename dirname; do put "/usr/bin/$f" "/usr/bin/$f" 0755; with_libs "/usr/bin/$f"; done
  put /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt 0644
  debian_accounts argocd 999 999 /home/argocd /bin/sh
  dir /home/argocd 0775
  owner /home/argocd 999:0
  text /app/config/ssh/ssh_known_hosts 0644 </dev/null
  link /app/config/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts
  dir /app/config/tls 0755
  dir /app/config/gpg/source 0755
  dir /app/config/gpg/keys 0700
  owner /app/config/gpg/keys 999:0
  dir /tmp 1777
  config '{"Entrypoint":["/usr/bin/tini","--"],"User":"999","WorkingDir":"/home/argocd","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","ARGOCD_USER_ID=999","DEBIAN_FRONTEND=noninteractive","USER=argocd","GRPC_ENABLE_TXT_SERVICE_CONFIG=false"]}'
}
