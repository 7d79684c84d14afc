import type { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** Pod Security Standards level (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface PlatformNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /**
   * The Pod Security level enforced (and warned about) in the namespace: the least privilege its pods
   * need. `audit` is always `restricted`, so anything looser than restricted shows in the audit log.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Extra labels.
   * @default {}
   */
  readonly labels?: Record<string, string>;
}

/** A Namespace with Pod Security admission labels. */
export class PlatformNamespace extends Construct {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.podSecurity = props.podSecurity ?? 'restricted';
    // L1 typed object: cdk8s-plus-27's Namespace L2 sets no Pod Security labels of its own, so the typed
    // KubeNamespace is the closer fit.
    this.apiObject = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          'pod-security.kubernetes.io/enforce': this.podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': this.podSecurity,
        },
      },
    });
  }
}
