/**
 * Structural OpenAPI schemas of the metallb.io kinds, written from the Go field definitions of
 * go.universe.tf/metallb api/v1beta1 and api/v1beta2 (the version pinned in the catalog): json names,
 * optional vs required (a field without `omitempty` is required), kubebuilder bounds, defaults and
 * validation rules. Defaults matter: the API server fills them in, and MetalLB reads the filled values.
 */

import type { JsonSchema } from '../common/crd';

export type { JsonSchema } from '../common/crd';

const string: JsonSchema = { type: 'string' };
const boolean: JsonSchema = { type: 'boolean' };
const strings: JsonSchema = { type: 'array', items: string };
/** A Go uint32: JSON integers from 0 to 2^32-1. */
const uint32: JsonSchema = { type: 'integer', format: 'int64', minimum: 0, maximum: 4294967295 };
/** A metav1.Duration: Go duration text such as `90s` or `1m30s`. */
const duration: JsonSchema = { type: 'string' };

function object(properties: Record<string, JsonSchema>, required: readonly string[] = [], extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', properties, ...(required.length ? { required: [...required] } : {}), ...extra };
}

function described(schema: JsonSchema, description: string): JsonSchema {
  return { ...schema, description };
}

/** A field that may be set once and never changed afterwards. */
function immutable(schema: JsonSchema): JsonSchema {
  return { ...schema, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }] };
}

/** metav1.LabelSelector. */
export const labelSelector: JsonSchema = object(
  {
    matchLabels: { type: 'object', additionalProperties: string },
    matchExpressions: {
      type: 'array',
      'x-kubernetes-list-type': 'atomic',
      items: object({ key: string, operator: string, values: { ...strings, 'x-kubernetes-list-type': 'atomic' } }, ['key', 'operator']),
    },
  },
  [],
  { 'x-kubernetes-map-type': 'atomic' },
);
const labelSelectors: JsonSchema = { type: 'array', items: labelSelector };

/** metav1.Condition, as MetalLB's components report them on ConfigurationState. */
const condition: JsonSchema = object(
  {
    type: { type: 'string', maxLength: 316, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$' },
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
    lastTransitionTime: { type: 'string', format: 'date-time' },
    reason: { type: 'string', minLength: 1, maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' },
    message: { type: 'string', maxLength: 32768 },
  },
  ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
);

/** A kind with `spec` and a status subresource. */
function kind(spec: JsonSchema, status: JsonSchema = { type: 'object' }): JsonSchema {
  return object({ apiVersion: string, kind: string, metadata: { type: 'object' }, spec, status });
}

export const ipAddressPoolSchema = kind(
  object(
    {
      addresses: described({ ...strings }, 'CIDRs (10.0.0.0/24) or inclusive ranges (10.0.0.10-10.0.0.20) MetalLB hands out; IPv4 and IPv6.'),
      autoAssign: described({ ...boolean, default: true }, 'Whether Services that ask for no address or pool may get one from this pool.'),
      avoidBuggyIPs: described({ ...boolean, default: false }, 'Skip addresses ending in .0 and .255.'),
      serviceAllocation: described(
        object({
          priority: { type: 'integer' },
          namespaces: strings,
          namespaceSelectors: labelSelectors,
          serviceSelectors: labelSelectors,
        }),
        'Restricts the pool to some namespaces or Services; the lowest priority value wins among matching pools.',
      ),
    },
    ['addresses'],
  ),
  object(
    {
      assignedIPv4: { type: 'integer', format: 'int64' },
      assignedIPv6: { type: 'integer', format: 'int64' },
      availableIPv4: { type: 'integer', format: 'int64' },
      availableIPv6: { type: 'integer', format: 'int64' },
    },
    ['assignedIPv4', 'assignedIPv6', 'availableIPv4', 'availableIPv6'],
  ),
);

/** Pool and node selection both advertisement kinds share. */
const advertisedPools = {
  ipAddressPools: described(strings, 'Pools announced, by name. With neither this nor ipAddressPoolSelectors, every pool is announced.'),
  ipAddressPoolSelectors: labelSelectors,
  nodeSelectors: described(labelSelectors, 'Nodes that announce; empty means all.'),
  serviceSelectors: described(labelSelectors, 'Services announced; empty means all of the selected pools.'),
};

export const l2AdvertisementSchema = kind(
  object({
    ...advertisedPools,
    interfaces: described(strings, 'Host interfaces to announce from; empty means all.'),
  }),
);

export const bgpAdvertisementSchema = kind(
  object(
    {
      ...advertisedPools,
      aggregationLength: described({ type: 'integer', format: 'int32', minimum: 1, default: 32 }, 'Prefix length IPv4 addresses are announced with.'),
      aggregationLengthV6: described({ type: 'integer', format: 'int32', default: 128 }, 'Prefix length IPv6 addresses are announced with.'),
      localPref: described(uint32, 'BGP LOCAL_PREF of the announcements.'),
      communities: described(strings, 'Communities attached: 1234:1234, large:1234:1234:1234, or a Community alias name.'),
      peers: described(strings, 'BGPPeer names to announce to; empty means all.'),
    },
    [],
    {
      'x-kubernetes-validations': [
        {
          // Selecting Services only works when each address is announced on its own.
          rule: '!has(self.serviceSelectors) || size(self.serviceSelectors) == 0 || ((!has(self.aggregationLength) || self.aggregationLength == 32) && (!has(self.aggregationLengthV6) || self.aggregationLengthV6 == 128))',
          message: 'serviceSelectors need the default aggregationLength (32) and aggregationLengthV6 (128)',
        },
      ],
    },
  ),
);

const bfdInterval: JsonSchema = { type: 'integer', format: 'int64', minimum: 10, maximum: 60000 };

export const bfdProfileSchema = kind(
  object({
    receiveInterval: described(bfdInterval, 'Minimum receive interval of control packets, ms (default 300).'),
    transmitInterval: described(bfdInterval, 'Minimum transmit interval of control packets, ms (default 300).'),
    detectMultiplier: described({ type: 'integer', format: 'int64', minimum: 2, maximum: 255 }, 'Missed packets before the session is down.'),
    echoInterval: described(bfdInterval, 'Minimum echo receive interval, ms (default 50).'),
    echoMode: boolean,
    passiveMode: boolean,
    minimumTtl: described({ type: 'integer', format: 'int64', minimum: 1, maximum: 254 }, 'Multi-hop sessions only: minimum TTL of incoming control packets.'),
  }),
);

export const communitySchema = kind(
  object({
    communities: { type: 'array', items: object({ name: string, value: string }) },
  }),
);

/** BGPPeer v1beta1 (served, deprecated): node selectors of its own shape, required address and ASNs. */
export const bgpPeerV1beta1Schema = kind(
  object(
    {
      myASN: uint32,
      peerASN: uint32,
      peerAddress: string,
      sourceAddress: string,
      peerPort: { type: 'integer', minimum: 0, maximum: 16384 },
      holdTime: duration,
      keepaliveTime: duration,
      routerID: string,
      nodeSelectors: {
        type: 'array',
        items: object({
          matchLabels: { type: 'object', additionalProperties: string },
          matchExpressions: {
            type: 'array',
            items: object({ key: string, operator: string, values: { ...strings, minItems: 1 } }, ['key', 'operator', 'values']),
          },
        }),
      },
      password: string,
      bfdProfile: string,
      ebgpMultiHop: boolean,
    },
    ['myASN', 'peerASN', 'peerAddress'],
  ),
);

/** BGPPeer v1beta2 (stored). */
export const bgpPeerV1beta2Schema = kind(
  object(
    {
      myASN: described(uint32, 'Local AS number.'),
      peerASN: described(uint32, 'Remote AS number; or set dynamicASN.'),
      localASN: described({ ...uint32, minimum: 1 }, 'AS number shown to this peer instead of myASN (FRR modes only).'),
      dynamicASN: described({ type: 'string', enum: ['internal', 'external'] }, 'Accept the remote AS number if it is (internal) or is not (external) myASN.'),
      peerAddress: described(string, 'Address to dial; or set interface.'),
      interface: described(string, 'Node interface for unnumbered BGP; or set peerAddress.'),
      sourceAddress: string,
      peerPort: { type: 'integer', minimum: 1, maximum: 16384, default: 179 },
      holdTime: duration,
      keepaliveTime: duration,
      connectTime: {
        ...duration,
        'x-kubernetes-validations': [
          { rule: 'duration(self).getSeconds() >= 1 && duration(self).getSeconds() <= 65535', message: 'connect time must be 1 to 65535 seconds' },
          { rule: 'duration(self).getMilliseconds() % 1000 == 0', message: 'connect time must be whole seconds' },
        ],
      },
      routerID: string,
      nodeSelectors: described(labelSelectors, 'Nodes that peer; empty means all.'),
      password: described(string, 'TCP MD5 password; prefer passwordSecret.'),
      passwordSecret: described(
        object({ name: string, namespace: string }, [], { 'x-kubernetes-map-type': 'atomic' }),
        'A kubernetes.io/basic-auth Secret in the MetalLB namespace whose key `password` holds the TCP MD5 password.',
      ),
      bfdProfile: string,
      enableGracefulRestart: immutable(boolean),
      ebgpMultiHop: boolean,
      vrf: string,
      disableMP: { ...boolean, default: false },
      dualStackAddressFamily: { ...boolean, default: false },
    },
    ['myASN'],
  ),
);

export const serviceL2StatusSchema = kind(
  { type: 'object' },
  object({
    node: immutable(string),
    serviceName: immutable(string),
    serviceNamespace: immutable(string),
    interfaces: { type: 'array', items: object({ name: string }) },
  }),
);

export const serviceBgpStatusSchema = kind(
  { type: 'object' },
  object({
    node: immutable(string),
    serviceName: immutable(string),
    serviceNamespace: immutable(string),
    peers: strings,
  }),
);

/** ConfigurationState has only a status: each component's verdict on the configuration. */
export const configurationStateSchema = object({
  apiVersion: string,
  kind: string,
  metadata: { type: 'object' },
  status: object({
    result: { type: 'string', enum: ['Valid', 'Invalid', 'Unknown'] },
    errorSummary: string,
    conditions: { type: 'array', items: condition, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
  }),
});
