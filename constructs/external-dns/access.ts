import { Construct } from 'constructs';
import { RoleGrant } from '../common/rbac';
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
    new RoleGrant(this, 'Grant', {
      name: this.roleName,
      rules: externalDnsRbacRules(props.sources),
      serviceAccount: { name: props.serviceAccountName, namespace: props.namespace },
      labels: props.labels,
    });
  }
}
