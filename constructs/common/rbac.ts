import { ApiObject } from 'cdk8s';
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
  readonly role: ApiObject;
  readonly binding: ApiObject;

  constructor(scope: Construct, id: string, props: RoleGrantProps) {
    super(scope, id);
    const kind = props.namespace === undefined ? 'ClusterRole' : 'Role';
    const metadata = {
      name: props.name,
      ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
      labels: props.labels,
      ...(props.annotations ? { annotations: props.annotations } : {}),
    };
    this.role = new ApiObject(this, kind, {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind,
      metadata,
      rules: props.rules.map((r) => ({
        apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs], ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      })),
    });
    this.binding = new ApiObject(this, `${kind}Binding`, {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: `${kind}Binding`,
      metadata,
      roleRef: { apiGroup: RBAC_GROUP, kind, name: props.name },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace }],
    });
  }
}
