# docker.io/library/busybox: the shell of the CNI writer DaemonSet (constructs/cni). Upstream
# (docker-library/busybox, e.g. latest-1/glibc/amd64/image-config.json for 1.37.0): one layer with
# /bin/busybox and every applet in /bin (`busybox --install /bin`, hard links), /usr/bin/env ->
# ../../bin/env, /etc/passwd and /etc/group (root, nobody, ...), /root, /tmp, /home; config
# Cmd ["sh"], no Entrypoint, no User (root), Env PATH. Ours: Debian's busybox-static (its own
# version, see README), applets as symbolic links (same effect for exec, one copy of the binary).
recipe() {
  local deb applet
  deb=$(debian_unpacked busybox-static)
  image "$(catalog_ref busybox)"
  layer "busybox: Debian busybox-static $(basename "$deb" | sed 's/^busybox-static_//; s/%3a/:/'), applets in /bin"
  put "$deb/bin/busybox" /bin/busybox 0755
  for applet in $("$deb/bin/busybox" --list); do
    [ "$applet" = busybox ] || link busybox "/bin/$applet"
  done
  link ../../bin/env /usr/bin/env
  dir /usr/sbin
  text /etc/passwd 0644 <<'TXT'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
TXT
  text /etc/group 0644 <<'TXT'
root:x:0:
daemon:x:1:
nogroup:x:65534:
TXT
  dir /root 0700
  dir /home 0755
  dir /tmp 1777
  dir /var 0755
  config '{"Cmd":["sh"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
}
