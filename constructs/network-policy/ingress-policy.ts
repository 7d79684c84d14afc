import type { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** A port of the protected Pods: a number or the name of a container port, and its protocol. */
export interface PolicyPort {
  /** The container port (after a Service's translation): a number, or a port name the Pods declare. */
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Ports that only Pods of some namespaces may reach. */
export interface NamespacePorts {
  readonly ports: readonly PolicyPort[];
  /** Names of the namespaces whose Pods may connect (matched by `kubernetes.io/metadata.name`). */
  readonly namespaces: readonly string[];
}

export interface IngressPolicyProps {
  /** The Deployment or DaemonSet whose Pods the policy protects: its namespace and `spec.selector.matchLabels`. */
  readonly workload: ApiObject;
  /**
   * The NetworkPolicy's name.
   * @default - the workload's name
   */
  readonly name?: string;
  /**
   * Ports every client may reach: Pods of any namespace, nodes, and addresses outside the cluster.
   * @default - none
   */
  readonly openPorts?: readonly PolicyPort[];
  /**
   * Ports only Pods of the given namespaces may reach.
   * @default - none
   */
  readonly namespacePorts?: readonly NamespacePorts[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const PORT_NAME = /^(?=.{1,15}$)[a-z0-9]+(-[a-z0-9]+)*$/;

/** Problems with IngressPolicy props, each saying what to fix (empty when valid). */
export function ingressPolicyIssues(props: Omit<IngressPolicyProps, 'workload'>): string[] {
  const issues: string[] = [];
  const ports = [...(props.openPorts ?? []), ...(props.namespacePorts ?? []).flatMap((r) => r.ports)];
  if (ports.length === 0) issues.push('no port is open to anyone, so the policy would refuse every connection: give openPorts or namespacePorts');
  for (const p of ports) {
    if (typeof p.port === 'number' ? !(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535) : !PORT_NAME.test(p.port)) {
      issues.push(`port ${JSON.stringify(p.port)} is neither a port number (1-65535) nor a container port name (lowercase, up to 15 characters): use one the Pods declare`);
    }
  }
  for (const rule of props.namespacePorts ?? []) {
    if (rule.namespaces.length === 0) issues.push(`ports ${rule.ports.map((p) => p.port).join(', ')} name no namespace, so no one could reach them: list the client namespaces, or drop the rule`);
    for (const ns of rule.namespaces) if (!DNS_LABEL.test(ns)) issues.push(`namespace "${ns}" is not a DNS label: use the client namespace's name`);
  }
  return issues;
}

const toPorts = (ports: readonly PolicyPort[]): k8s.NetworkPolicyPort[] =>
  ports.map((p) => ({ port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port), protocol: p.protocol ?? 'TCP' }));

/**
 * An ingress NetworkPolicy for one workload: its Pods accept connections only on the listed ports,
 * some from everyone, some only from Pods of named namespaces; everything else is refused where the
 * cluster's network enforces NetworkPolicy. Egress is not restricted. Has no effect on hostNetwork Pods,
 * and (as the NetworkPolicy API defines) traffic from the Pod's own node, such as kubelet probes, stays allowed.
 */
export class IngressPolicy extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: IngressPolicyProps) {
    super(scope, id);
    const workload = props.workload.toJson() as { metadata?: { name?: string; namespace?: string }; spec?: { selector?: { matchLabels?: Record<string, string> } } };
    const selector = workload.spec?.selector?.matchLabels;
    const namespace = workload.metadata?.namespace;
    if (!selector || Object.keys(selector).length === 0 || !namespace) {
      throw new Error(`IngressPolicy ${id}: the workload has no namespace or no spec.selector.matchLabels. Fix: pass a namespaced Deployment or DaemonSet`);
    }
    this.name = props.name ?? workload.metadata!.name!;
    this.namespace = namespace;
    const issues = ingressPolicyIssues(props);
    if (issues.length) throw new Error(`IngressPolicy ${this.namespace}/${this.name}: ${issues.join('; ')}`);
    const ingress: k8s.NetworkPolicyIngressRule[] = [];
    if (props.openPorts?.length) ingress.push({ ports: toPorts(props.openPorts) });
    for (const rule of props.namespacePorts ?? []) {
      ingress.push({
        ports: toPorts(rule.ports),
        from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...rule.namespaces] }] } }],
      });
    }
    this.apiObject = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: { 'app.kubernetes.io/part-of': 'fleetnet' } },
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress'], ingress },
    });
  }
}
