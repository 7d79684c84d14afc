/**
 * OpenAPI schemas of the six mizar.com kinds. Mizar keeps everything, its state included, under
 * `.spec` (there is no status subresource), and the operator patches whole specs in a retry loop
 * that never gives up (mizar/common/common.py: kube_update_obj): a schema that refused a value the
 * operator writes would hang it. So every declared field takes exactly what the v0.91 code writes:
 * `vni` and `prefix` are strings in its own objects but integers where users wrote integers, hence
 * int-or-string. Vpc and Subnet, which people write, are closed and validated; the four kinds only
 * the operator writes keep unknown fields (later Mizar versions add fields there).
 */

import type { JsonSchema } from '../common/crd';

export type { JsonSchema } from '../common/crd';

const string: JsonSchema = { type: 'string' };
const intOrString: JsonSchema = { 'x-kubernetes-int-or-string': true };
const ipv4: JsonSchema = { type: 'string', format: 'ipv4' };
/** The states the operator moves a Vpc or Subnet through (mizar/common/constants.py: OBJ_STATUS). */
export const VPC_SUBNET_STATES = ['Init', 'Alloc', 'Ready', 'Provisioned'] as const;

const timing = { createtime: string, provisiondelay: string };

/**
 * kopf keeps its handler progress in `.status.kopf` (next to annotations): an open object the
 * framework owns, written with plain patches because these kinds have no status subresource.
 */
const kopfStatus: JsonSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function objectSchema(spec: JsonSchema): JsonSchema {
  return { type: 'object', properties: { spec, status: kopfStatus } };
}

export const vpcSchema = objectSchema({
  type: 'object',
  required: ['ip', 'prefix'],
  properties: {
    ip: { ...ipv4, description: 'Network address of the VPC CIDR.' },
    prefix: { ...intOrString, description: 'Prefix length of the VPC CIDR.' },
    vni: { ...intOrString, description: 'Geneve VNI. Honoured for vpc0 (CLUSTER_VPC_VNI); the operator allocates one for every other VPC.' },
    dividers: { type: 'integer', minimum: 1, description: 'Number of dividers.' },
    status: { type: 'string', enum: [...VPC_SUBNET_STATES], description: 'Init for a new VPC; the operator moves it to Provisioned.' },
    ...timing,
  },
});

export const subnetSchema = objectSchema({
  type: 'object',
  required: ['ip', 'prefix', 'vpc'],
  properties: {
    ip: { ...ipv4, description: 'Network address of the subnet CIDR.' },
    prefix: { ...intOrString, description: 'Prefix length of the subnet CIDR.' },
    vni: { ...intOrString, description: "Copied from the VPC by the operator." },
    vpc: { type: 'string', minLength: 1, description: 'Name of the Vpc this subnet belongs to.' },
    bouncers: { type: 'integer', minimum: 1, description: 'Number of bouncers.' },
    status: { type: 'string', enum: [...VPC_SUBNET_STATES], description: 'Init for a new subnet; the operator moves it to Provisioned.' },
    ...timing,
  },
});

function operatorOwned(fields: Record<string, JsonSchema>): JsonSchema {
  return objectSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { status: string, ...fields } });
}

export const dividerSchema = operatorOwned({ vpc: string, vni: intOrString, mac: string, ip: string, droplet: string, ...timing });
export const bouncerSchema = operatorOwned({ vpc: string, net: string, ip: string, mac: string, droplet: string, vni: intOrString, nip: string, prefix: intOrString, ...timing });
export const dropletSchema = operatorOwned({ main_ip: string, ip: string, mac: string, itf: string, ...timing });
export const endpointSchema = operatorOwned({
  type: string, vpc: string, net: string, ip: string, gw: string, prefix: intOrString, mac: string, vni: intOrString,
  droplet: string, itf: string, veth: string, netns: string, hostip: string, hostmac: string, pod: string, ...timing,
});
