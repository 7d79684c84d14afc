import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { syncWave } from '../common/workload';
import type { RbacRule } from './rbac';

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

const RBAC = 'rbac.authorization.k8s.io';

/** A ServiceAccount bound to exactly the rules given: a Role in its namespace and a ClusterRole for the rest. */
export class MetalLbServiceAccount extends Construct {
  readonly name: string;
  /** The cluster-scoped role's name (the Role has `name`). */
  readonly clusterRoleName: string;
  readonly role: ApiObject;
  readonly clusterRole: ApiObject;

  constructor(scope: Construct, id: string, props: MetalLbServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    this.clusterRoleName = `fleetnet-${props.name}`;
    const annotations = syncWave(props.syncWave);
    const subjects = [{ kind: 'ServiceAccount', name: props.name, namespace: props.namespace }];
    const rules = (list: readonly RbacRule[]) => list.map((r) => ({
      apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs], ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
    }));
    const namespaced = { name: props.name, namespace: props.namespace, labels: props.labels, annotations };
    const clusterScoped = { name: this.clusterRoleName, labels: props.labels, annotations };

    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: namespaced });
    this.role = new ApiObject(this, 'Role', { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: namespaced, rules: rules(props.namespaceRules) });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: namespaced,
      roleRef: { apiGroup: RBAC, kind: 'Role', name: props.name }, subjects,
    });
    this.clusterRole = new ApiObject(this, 'ClusterRole', { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: clusterScoped, rules: rules(props.clusterRules) });
    new ApiObject(this, 'ClusterRoleBinding', {
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: clusterScoped,
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: this.clusterRoleName }, subjects,
    });
  }
}
