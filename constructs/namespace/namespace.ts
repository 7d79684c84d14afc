import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { POD_SECURITY_LABEL_PREFIX } from './names';

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
  readonly apiObject: k8s.KubeNamespace;

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
          [`${POD_SECURITY_LABEL_PREFIX}enforce`]: this.podSecurity,
          [`${POD_SECURITY_LABEL_PREFIX}enforce-version`]: 'latest',
          [`${POD_SECURITY_LABEL_PREFIX}audit`]: 'restricted',
          [`${POD_SECURITY_LABEL_PREFIX}warn`]: this.podSecurity,
        },
      },
    });
  }
}
