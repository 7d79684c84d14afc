import type { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { customResourceDefinition } from '../common/crd';
import { syncWave } from '../common/workload';

export interface DnsEndpointCrdProps {
  /**
   * Argo CD sync wave of the CRD inside its stack (before the controller that reads it).
   * @default -1
   */
  readonly syncWave?: number;
}

/**
 * The DNSEndpoint CRD (`externaldns.k8s.io/v1alpha1`), which external-dns's `crd` source reads: a
 * list of records to publish, written as a Kubernetes object. Fields as of external-dns v0.22.
 */
export class DnsEndpointCrd extends Construct {
  static readonly NAME = 'dnsendpoints.externaldns.k8s.io';
  readonly crd: k8s.KubeCustomResourceDefinition;

  constructor(scope: Construct, id: string, props: DnsEndpointCrdProps = {}) {
    super(scope, id);
    const str = { type: 'string' };
    this.crd = customResourceDefinition(this, 'Resource', {
      group: 'externaldns.k8s.io',
      kind: 'DNSEndpoint',
      plural: 'dnsendpoints',
      annotations: {
        ...syncWave(props.syncWave ?? -1),
        // *.k8s.io groups are protected; the API server requires the approval reference.
        'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/external-dns/pull/2007',
      },
      versions: [{
        name: 'v1alpha1',
        status: true,
        schema: {
          type: 'object',
          properties: {
            apiVersion: str,
            kind: str,
            metadata: { type: 'object' },
            spec: {
              type: 'object',
              properties: {
                endpoints: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      dnsName: str,
                      recordType: str,
                      recordTTL: { type: 'integer', format: 'int64' },
                      targets: { type: 'array', items: str },
                      setIdentifier: str,
                      labels: { type: 'object', additionalProperties: str },
                      providerSpecific: { type: 'array', items: { type: 'object', properties: { name: str, value: str } } },
                    },
                  },
                },
              },
            },
            status: { type: 'object', properties: { observedGeneration: { type: 'integer', format: 'int64' } } },
          },
        },
      }],
    });
  }
}
