/**
 * What MetalLB v0.16 (native mode) calls on the API server, as RBAC rules, read from its source
 * (go.universe.tf/metallb: controller/main.go, speaker/main.go, internal/k8s/*.go, internal/k8s/controllers,
 * internal/k8s/webhooks) and the libraries it drives (controller-runtime v0.22: informers, events,
 * metrics auth; open-policy-agent/cert-controller v0.15: certificate rotation).
 *
 * How the caches turn into verbs: controller-runtime reads through informers (list + watch, never get).
 * k8s.New scopes the informers of the metallb.io config kinds, Secrets and ConfigMaps to the MetalLB
 * namespace (a `metadata.namespace` field selector, which controller-runtime turns into a namespaced
 * request), so those are Role rules; every other informer (Services, Namespaces, Nodes, EndpointSlices,
 * ConfigurationState, ServiceL2Status) is cluster-wide, so those are ClusterRole rules.
 * test/metallb runs the real controller under these rules and checks every call below against the API server.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { RbacRule, RoleGrant } from '../common/rbac';
import { syncWave } from '../common/workload';
import { METALLB_BGPPEER_CRD, METALLB_GROUP, METALLB_WEBHOOK_CERT_SECRET, METALLB_WEBHOOK_CONFIGURATION } from './names';

const READ = ['list', 'watch'];

/**
 * Scraping the HTTPS metrics endpoint: controller-runtime's filters.WithAuthenticationAndAuthorization
 * checks each scraper's token (TokenReview) and its right to GET /metrics (SubjectAccessReview).
 */
const METRICS_AUTH: readonly RbacRule[] = [
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
];

/** The controller's rules in the MetalLB namespace (Role). */
export function controllerNamespaceRules(deploymentName: string): RbacRule[] {
  return [
    // k8s.New reads its own Pod: the owner of ConfigurationState "controller".
    { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    // CreateMlSecret lists Secrets (by name) and creates the speakers' memberlist Secret when missing;
    // the cert rotator caches every Secret of the namespace (its cache is namespace-scoped, not by name).
    { apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch', 'create'] },
    // The cert rotator writes the CA and serving certificate into the webhook Secret (rendered empty).
    { apiGroups: [''], resources: ['secrets'], verbs: ['update'], resourceNames: [METALLB_WEBHOOK_CERT_SECRET] },
    // CreateMlSecret reads its Deployment to set the memberlist Secret's owner reference.
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'], resourceNames: [deploymentName] },
    // PoolReconciler and PoolStatusReconciler watch pools and communities; the validating webhooks list
    // pools, advertisements, peers (v1beta2) and communities to check a change against the rest.
    { apiGroups: [METALLB_GROUP], resources: ['ipaddresspools', 'communities'], verbs: READ },
    { apiGroups: [METALLB_GROUP], resources: ['l2advertisements', 'bgpadvertisements', 'bgppeers'], verbs: ['list'] },
    // PoolStatusReconciler writes the assigned/available counters.
    { apiGroups: [METALLB_GROUP], resources: ['ipaddresspools/status'], verbs: ['update'] },
    // ConfigurationStateReconciler creates-or-patches ConfigurationState "controller"; the pool
    // reconciler server-side-applies its condition to the status.
    { apiGroups: [METALLB_GROUP], resources: ['configurationstates'], verbs: ['create', 'patch'] },
    { apiGroups: [METALLB_GROUP], resources: ['configurationstates/status'], verbs: ['patch'] },
  ];
}

/** The controller's cluster-wide rules (ClusterRole). */
export const CONTROLLER_CLUSTER_RULES: readonly RbacRule[] = [
  // ServiceReconciler watches every Service; PoolReconciler watches Namespaces (pool namespace selectors).
  { apiGroups: [''], resources: ['services', 'namespaces'], verbs: READ },
  // The allocation itself: status.loadBalancer.ingress (Client.UpdateStatus).
  { apiGroups: [''], resources: ['services/status'], verbs: ['update'] },
  // IPAllocated / AllocationFailed events on Services, in their namespaces.
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  // The BGPAdvertisement and BGPPeer webhooks list Nodes to check node selectors.
  { apiGroups: [''], resources: ['nodes'], verbs: ['list'] },
  // ConfigurationState is not among the namespace-scoped informers of k8s.New.
  { apiGroups: [METALLB_GROUP], resources: ['configurationstates'], verbs: READ },
  // The cert rotator watches the webhook configuration and the BGPPeer CRD and writes their caBundle.
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: READ },
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['update'], resourceNames: [METALLB_WEBHOOK_CONFIGURATION] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['update'], resourceNames: [METALLB_BGPPEER_CRD] },
  ...METRICS_AUTH,
];

/** The speaker's rules in the MetalLB namespace (Role). */
export const SPEAKER_NAMESPACE_RULES: readonly RbacRule[] = [
  // Its own Pod (owner of its status objects); memberlist finds the other speakers by listing Pods by label.
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  // ConfigReconciler: BGP passwords (Secrets) and the FRR extras ConfigMap.
  { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: READ },
  // ConfigReconciler builds the whole configuration from these.
  { apiGroups: [METALLB_GROUP], resources: ['ipaddresspools', 'l2advertisements', 'bgpadvertisements', 'bgppeers', 'bfdprofiles', 'communities', 'servicebgpstatuses'], verbs: READ },
  // Layer2StatusReconciler / ServiceBGPStatusReconciler create-or-patch and delete the per-node status objects.
  { apiGroups: [METALLB_GROUP], resources: ['servicel2statuses', 'servicebgpstatuses'], verbs: ['create', 'patch', 'delete'] },
  { apiGroups: [METALLB_GROUP], resources: ['servicel2statuses/status', 'servicebgpstatuses/status'], verbs: ['patch'] },
  // ConfigurationState "speaker-<node>", as for the controller.
  { apiGroups: [METALLB_GROUP], resources: ['configurationstates'], verbs: ['create', 'patch'] },
  { apiGroups: [METALLB_GROUP], resources: ['configurationstates/status'], verbs: ['patch'] },
];

/** The speaker's cluster-wide rules (ClusterRole). */
export const SPEAKER_CLUSTER_RULES: readonly RbacRule[] = [
  // ServiceReconciler (with endpoints) and NodeReconciler; ConfigReconciler lists Nodes and Namespaces.
  { apiGroups: [''], resources: ['services', 'nodes', 'namespaces'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  // ServiceL2Status and ConfigurationState informers are cluster-wide.
  { apiGroups: [METALLB_GROUP], resources: ['servicel2statuses', 'configurationstates'], verbs: READ },
  // nodeAssigned / announceFailed events on Services.
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  ...METRICS_AUTH,
];

export interface MetalLbServiceAccountProps {
  /** Name of the ServiceAccount, Role and RoleBinding; the cluster-scoped objects get a `fleetnet-` prefix. */
  readonly name: string;
  readonly namespace: string;
  /** Rules in `namespace` (Role). */
  readonly namespaceRules: readonly RbacRule[];
  /** Cluster-wide rules (ClusterRole). */
  readonly clusterRules: readonly RbacRule[];
  readonly labels: Record<string, string>;
  /** Argo CD sync wave of the objects. */
  readonly syncWave: number;
}

/** A ServiceAccount bound to exactly the rules given: a Role in its namespace and a ClusterRole for the rest. */
export class MetalLbServiceAccount extends Construct {
  readonly name: string;
  /** The cluster-scoped role's name (the Role has `name`). */
  readonly clusterRoleName: string;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly role: k8s.KubeRole | k8s.KubeClusterRole;
  readonly clusterRole: k8s.KubeRole | k8s.KubeClusterRole;

  constructor(scope: Construct, id: string, props: MetalLbServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    this.clusterRoleName = `fleetnet-${props.name}`;
    const annotations = syncWave(props.syncWave);
    const serviceAccount = { name: props.name, namespace: props.namespace };
    const common = { serviceAccount, labels: props.labels, annotations };
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { ...serviceAccount, labels: props.labels, annotations } });
    this.role = new RoleGrant(this, 'Namespaced', { ...common, name: props.name, namespace: props.namespace, rules: props.namespaceRules }).role;
    this.clusterRole = new RoleGrant(this, 'ClusterWide', { ...common, name: this.clusterRoleName, rules: props.clusterRules }).role;
  }
}
