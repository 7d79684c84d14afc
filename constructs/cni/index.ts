/**
 * CNI: network configuration lists, their plugins, and CniInstall, which writes one list per listed
 * node. A node's list is found by its name; a node that is not listed gets no DaemonSet pod and, if
 * one reaches it anyway, a writer that refuses it, so it stays NotReady instead of sharing a range.
 */
export * from './names';
export * from './install';
export * from './network-config';
export * from './nodes';
export * from './plugins';
export * from './versions';
export * from './writer-script';
export * from './cluster-network';
