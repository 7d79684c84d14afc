import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { externalDnsRbacRules, ExternalDnsSource } from './sources';

export interface ExternalDnsAccessProps {
  /** The ServiceAccount external-dns runs as. */
  readonly serviceAccountName: string;
  readonly namespace: string;
  readonly sources: readonly ExternalDnsSource[];
  /** Labels of the objects. */
  readonly labels: Record<string, string>;
}

/** A ClusterRole with exactly what external-dns reads for its sources, bound to its ServiceAccount. */
export class ExternalDnsAccess extends Construct {
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: ExternalDnsAccessProps) {
    super(scope, id);
    this.roleName = `fleetnet-${props.namespace}-external-dns`;
    new ApiObject(this, 'ClusterRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: this.roleName, labels: props.labels },
      rules: externalDnsRbacRules(props.sources).map((r) => ({ ...r })),
    });
    new ApiObject(this, 'ClusterRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: this.roleName, labels: props.labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.roleName },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.namespace }],
    });
  }
}
