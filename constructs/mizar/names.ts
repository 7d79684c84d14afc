/** Names, ports and sync waves of Mizar (v0.91) as fleetnet renders it. */

/** The API group and version of every Mizar kind. */
export const MIZAR_GROUP = 'mizar.com';
export const MIZAR_VERSION = 'v1';
export const MIZAR_API_VERSION = `${MIZAR_GROUP}/${MIZAR_VERSION}`;

/** Mizar keeps and reads every Vpc, Subnet and its other objects in this namespace only. */
export const MIZAR_OBJECT_NAMESPACE = 'default';

/** The names the operator gives its default VPC and subnet (constants.py: default_ep_vpc/net). */
export const DEFAULT_VPC_NAME = 'vpc0';
export const DEFAULT_SUBNET_NAME = 'net0';

/** Port of the daemon's gRPC server (InterfaceService, DropletService) on every node's host network. */
export const MIZAR_DAEMON_GRPC_PORT = 50051;

/**
 * Loopback port of kopf's liveness endpoint. The pod shares the node's network, so the endpoint
 * listens on 127.0.0.1 only and the probes call it from inside the container.
 */
export const MIZAR_OPERATOR_HEALTH_PORT = 8090;

/**
 * The order Argo CD applies Mizar's objects in, inside the stack. vpc0/net0 come before the
 * operator on purpose: at start the operator creates vpc0 and net0 with its built-in ranges
 * (20.0.0.0/8 in v0.91) unless they exist, in which case it adopts their spec (common.py:
 * kube_create_obj). The daemon must be ready on every node before the operator starts
 * (CentaurusInfra/mizar#473); VPCs and subnets beyond the default come last.
 */
export const MIZAR_SYNC_WAVES = { crds: 0, defaultNetwork: 1, daemon: 2, operator: 3, networks: 4 } as const;
