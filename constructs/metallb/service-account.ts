import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { syncWave } from '../common/workload';
import { RbacRule, RoleGrant } from '../common/rbac';

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
  readonly role: ApiObject;
  readonly clusterRole: ApiObject;

  constructor(scope: Construct, id: string, props: MetalLbServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    this.clusterRoleName = `fleetnet-${props.name}`;
    const annotations = syncWave(props.syncWave);
    const serviceAccount = { name: props.name, namespace: props.namespace };
    const common = { serviceAccount, labels: props.labels, annotations };
    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...serviceAccount, labels: props.labels, annotations } });
    this.role = new RoleGrant(this, 'Namespaced', { ...common, name: props.name, namespace: props.namespace, rules: props.namespaceRules }).role;
    this.clusterRole = new RoleGrant(this, 'ClusterWide', { ...common, name: this.clusterRoleName, rules: props.clusterRules }).role;
  }
}
