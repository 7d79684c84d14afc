/** Seconds between two checks of the installed configuration. */
export const CNI_WRITER_INTERVAL_SECONDS = 10;
/** Where the writer proves it is alive (an emptyDir; the root filesystem is read-only). */
export const CNI_WRITER_HEARTBEAT = '/run/cni-writer/heartbeat';

/**
 * The writer's shell (busybox sh). It installs `$CONF_SRC/$NODE_NAME`, the list of the node it runs
 * on, as `$CONF_DIR/$CONF_FILE`; on a node the ConfigMap has no list for it writes nothing, logs why
 * and exits 1 (the node keeps no pod network, so it stays NotReady). Every file is written to a
 * temporary name in the target directory, then renamed over the real one: a runtime reading net.d,
 * or a kubelet executing a plugin, never sees half a file. Plugin binaries are copied once; the
 * configuration is compared every interval, so a changed ConfigMap (or a file someone removed) is
 * put back.
 * Inputs (environment): NODE_NAME, CONF_SRC, CONF_DIR, CONF_FILE, INTERVAL, HEARTBEAT, and optionally
 * PLUGIN_SRC, BIN_DIR.
 */
export const CNI_WRITER_SCRIPT = `set -eu
src="$CONF_SRC/\${NODE_NAME:-}"
if [ -z "\${NODE_NAME:-}" ] || [ ! -f "$src" ]; then
  echo "cni-install: refusing node '\${NODE_NAME:-}': it has no pod range of its own in this install (listed: $(ls "$CONF_SRC" | tr '\\n' ' ')). Fix: list the node, with a subnet no other node has (fleet: podNetwork.cni.nodes)" >&2
  exit 1
fi
install_file() {
  if ! cmp -s "$1" "$2"; then
    tmp="$(dirname "$2")/.$(basename "$2").fleetnet-tmp"
    cp "$1" "$tmp"
    chmod "$3" "$tmp"
    mv -f "$tmp" "$2"
    echo "installed $2"
  fi
}
if [ -n "\${PLUGIN_SRC:-}" ]; then
  for f in "$PLUGIN_SRC"/*; do
    if [ -f "$f" ]; then install_file "$f" "$BIN_DIR/$(basename "$f")" 0755; fi
  done
fi
while true; do
  if [ ! -f "$src" ]; then
    echo "cni-install: node '$NODE_NAME' is no longer listed; leaving $CONF_DIR/$CONF_FILE as it is and stopping" >&2
    exit 1
  fi
  install_file "$src" "$CONF_DIR/$CONF_FILE" 0644
  touch "$HEARTBEAT"
  sleep "$INTERVAL"
done
`;

/** Ready when the node's file is the ConfigMap's list for this node. */
export const CNI_WRITER_READY_COMMAND = ['sh', '-c', 'cmp -s "$CONF_SRC/$NODE_NAME" "$CONF_DIR/$CONF_FILE"'];

/** Alive while the loop has touched its heartbeat within three intervals. */
export const CNI_WRITER_ALIVE_COMMAND = ['sh', '-c', '[ $(( $(date +%s) - $(stat -c %Y "$HEARTBEAT") )) -lt $(( 3 * INTERVAL )) ]'];
