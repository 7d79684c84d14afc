/**
 * Names the MetalLB objects share. Several are compiled into MetalLB or passed to it as flags, so they
 * live in one place and every construct (and test) reads them from here.
 */

/** The namespace MetalLB runs in; its configuration objects (pools, advertisements, peers) must live here too. */
export const METALLB_NAMESPACE = 'metallb-system';

/** The API group of every MetalLB kind. */
export const METALLB_GROUP = 'metallb.io';

/** Name of the controller Deployment and its ServiceAccount (the controller reads the Deployment by this name). */
export const METALLB_CONTROLLER = 'metallb-controller';

/** Name of the speaker DaemonSet and its ServiceAccount. */
export const METALLB_SPEAKER = 'metallb-speaker';

/**
 * The Secret holding the speakers' memberlist key. The controller creates it at start (with an owner
 * reference to its Deployment), so it is never rendered.
 */
export const METALLB_MEMBERLIST_SECRET = 'memberlist';

/** The webhook Service; the controller's serving certificate is issued for `<name>.<namespace>.svc`. */
export const METALLB_WEBHOOK_SERVICE = 'metallb-webhook-service';

/** The ValidatingWebhookConfiguration whose caBundle the controller keeps current. */
export const METALLB_WEBHOOK_CONFIGURATION = 'metallb-webhook-configuration';

/**
 * The Secret the controller writes its webhook CA and serving certificate into. MetalLB's certificate
 * rotation only updates it (it never creates it), so fleetnet renders it EMPTY (no data, nothing
 * secret in Git; see MetalLbWebhookCertSecret) in the first sync wave, before the controller whose pod
 * mounts it; the controller then fills and rotates it, and Argo CD ignores its `/data`.
 * Were it missing, the controller pod would wait in ContainerCreating with an event naming it.
 */
export const METALLB_WEBHOOK_CERT_SECRET = 'metallb-webhook-cert';

/** Where controller-runtime's webhook server reads its certificate, mounted from the Secret above. */
export const METALLB_WEBHOOK_CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';

/** Ports fixed in MetalLB's code or our flags. */
export const METALLB_PORTS = {
  /** HTTPS metrics (`--port`), authenticated and authorized against the API server per scrape. */
  metrics: 9120,
  /** controller-runtime's webhook server; the port is compiled in. */
  webhook: 9443,
  /** /healthz and /readyz (`--health-probe-port`; the speaker binds it on 127.0.0.1). */
  health: 17472,
  /** memberlist between speakers, TCP and UDP. */
  memberlist: 7946,
} as const;

/** The name of the CRD that carries the BGPPeer conversion webhook. */
export const METALLB_BGPPEER_CRD = `bgppeers.${METALLB_GROUP}`;

/**
 * The order Argo CD applies MetalLB in, inside its stack: CRDs, namespace and the empty webhook
 * certificate Secret (the controller pod mounts it), then the components and the webhook (the
 * controller reports ready only once the webhook serves), then the configuration (pools,
 * advertisements, peers), which the webhook validates.
 */
export const METALLB_SYNC_WAVES = { crds: 0, components: 1, configuration: 2 } as const;
