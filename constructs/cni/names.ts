/** Names and paths of the CNI install. */

/** Default name of the DaemonSet, its ConfigMap and ServiceAccount. */
export const CNI_INSTALL_NAME = 'cni-install';
/** Where the container runtime reads network configuration lists on a node. */
export const CNI_CONF_DIR = '/etc/cni/net.d';
/** Where the kubelet's runtime looks for plugin binaries on a node. */
export const CNI_BIN_DIR = '/opt/cni/bin';
