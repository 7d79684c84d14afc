import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A Kubernetes RBAC rule. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** @default - every object of the resources */
  readonly resourceNames?: readonly string[];
}

export interface RoleGrantProps {
  /** Name of the role and of its binding. */
  readonly name: string;
  /**
   * The namespace of a Role; without one, a ClusterRole.
   * @default - a ClusterRole
   */
  readonly namespace?: string;
  readonly rules: readonly RbacRule[];
  /** The ServiceAccount the role is bound to. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  readonly labels: Record<string, string>;
  /**
   * Annotations of both objects (e.g. the sync wave).
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** A Role (or ClusterRole) with exactly the rules given, and its binding to one ServiceAccount. */
export class RoleGrant extends Construct {
  readonly role: k8s.KubeRole | k8s.KubeClusterRole;
  readonly binding: k8s.KubeRoleBinding | k8s.KubeClusterRoleBinding;

  constructor(scope: Construct, id: string, props: RoleGrantProps) {
    super(scope, id);
    const metadata: k8s.ObjectMeta = {
      name: props.name,
      ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
      labels: props.labels,
      ...(props.annotations ? { annotations: props.annotations } : {}),
    };
    const rules: k8s.PolicyRule[] = props.rules.map((r) => ({
      apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs], ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
    }));
    const subjects: k8s.Subject[] = [{ kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace }];
    if (props.namespace === undefined) {
      this.role = new k8s.KubeClusterRole(this, 'ClusterRole', { metadata, rules });
      this.binding = new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', { metadata, roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: props.name }, subjects });
    } else {
      this.role = new k8s.KubeRole(this, 'Role', { metadata, rules });
      this.binding = new k8s.KubeRoleBinding(this, 'RoleBinding', { metadata, roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: props.name }, subjects });
    }
  }
}

