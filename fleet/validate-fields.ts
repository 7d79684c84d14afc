/**
 * The shape of a fleet, checked at run time: `tsx` does not type-check a fleet file, so a typo in an
 * enum (`mode: 'L2'`), a field name (`gatewayIp`), a string where a number belongs, or a value with
 * stray whitespace (`revision: 'main '`) would otherwise reach the manifests. Every other rule assumes
 * the shape holds, so validation reports these first and stops there.
 */
import { CHAINABLE_PLUGIN_TYPES } from '../constructs/cni/cluster-network';
import { Cluster } from './cluster';
import type { FleetIssue } from './errors';
import type { Fleet } from './fleet';

type Spec =
  | { readonly kind: 'string'; /** `text`: any spaces (TXT data); `inner`: inside only (file paths); default none */ readonly spaces?: 'text' | 'inner' }
  | { readonly kind: 'number' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly of: Spec }
  | { readonly kind: 'object'; readonly fields: Fields }
  | { readonly kind: 'stack' }
  | { readonly kind: 'cluster' }
  | { readonly kind: 'choose'; readonly pick: (value: Record<string, unknown>) => Spec | string };

interface Field {
  readonly spec: Spec;
  readonly optional?: boolean;
}
type Fields = Readonly<Record<string, Field>>;

const str: Spec = { kind: 'string' };
const num: Spec = { kind: 'number' };
const bool: Spec = { kind: 'boolean' };
const req = (spec: Spec): Field => ({ spec });
const opt = (spec: Spec): Field => ({ spec, optional: true });
const obj = (fields: Fields): Spec => ({ kind: 'object', fields });
const arr = (of: Spec): Spec => ({ kind: 'array', of });
const oneOf = (...values: string[]): Spec => ({ kind: 'enum', values });

const RECORD_BASE: Fields = { name: req(str), ttl: opt(num), type: req(oneOf('A', 'AAAA', 'CNAME', 'TXT', 'MX', 'SRV')) };
const RECORD_FIELDS: Record<string, Fields> = {
  A: { address: req(str) },
  AAAA: { address: req(str) },
  CNAME: { target: req(str) },
  TXT: { text: req({ kind: 'string', spaces: 'text' }) },
  MX: { preference: req(num), exchange: req(str) },
  SRV: { priority: req(num), weight: req(num), port: req(num), target: req(str) },
};
const RECORD: Spec = {
  kind: 'choose',
  pick: (r) => {
    const extra = typeof r.type === 'string' ? RECORD_FIELDS[r.type] : undefined;
    return extra ? obj({ ...RECORD_BASE, ...extra }) : obj(RECORD_BASE);
  },
};

const ZONE: Spec = {
  kind: 'choose',
  pick: (z) => ('file' in z
    ? obj({ name: req(str), file: req({ kind: 'string', spaces: 'inner' }) })
    : obj({
      name: req(str),
      soa: req(obj({ serial: req(num), hostmaster: opt(str), refresh: opt(num), retry: opt(num), expire: opt(num), negativeTtl: opt(num) })),
      nameServers: opt(arr(str)),
      ttl: opt(num),
      records: opt(arr(RECORD)),
    })),
};

/** Every field of a cluster file. Add a field here when ClusterProps gains one. */
export const CLUSTER_FIELDS: Fields = {
  name: req(str),
  tier: req(str),
  role: req(oneOf('management', 'workload')),
  apiServer: req(str),
  loadBalancer: req(obj({
    pools: req(arr(obj({ name: req(str), addresses: req(arr(str)), mode: opt(oneOf('l2', 'bgp')), autoAssign: opt(bool) }))),
    bgpPeers: opt(arr(obj({ name: req(str), peerAddress: req(str), peerASN: req(num), myASN: req(num) }))),
    network: opt(str),
  })),
  dns: req(obj({
    gatewayIP: opt(str),
    authorityIP: opt(str),
    secondaryAuthorityIP: opt(str),
    autoscaling: opt(obj({ minReplicas: opt(num), maxReplicas: req(num), targetCpuUtilization: opt(num) })),
    powerdnsIP: opt(str),
    zones: opt(arr(ZONE)),
    clusterDomain: opt(str),
    serviceIP: req(str),
    upstreams: req(arr(str)),
    daemonSet: opt(bool),
  })),
  podNetwork: req(obj({
    podCidr: req(str),
    serviceCidr: req(str),
    mizar: opt(obj({ vpcCidr: req(str), subnetCidr: opt(str), vni: opt(num) })),
    cni: opt(obj({ nodes: opt(arr(obj({ name: req(str), subnet: req(str) }))), chain: opt(arr(oneOf(...CHAINABLE_PLUGIN_TYPES))), cniVersion: opt(str) })),
  })),
  stacks: opt(arr({ kind: 'stack' })),
  bootstrap: opt(obj({ mode: opt(oneOf('argocd', 'direct')) })),
  monitoring: opt(obj({ prometheusOperator: opt(bool), namespace: opt(str) })),
  networkPolicies: opt(bool),
};

/** Every field of the fleet itself (clusters are checked one by one with CLUSTER_FIELDS). */
export const FLEET_FIELDS: Fields = {
  domain: req(str),
  tiers: req(arr(obj({ name: req(str), zone: opt(str), ttl: opt(num) }))),
  git: req(obj({ repoURL: req(str), revision: opt(str), basePath: opt(str) })),
  clusters: req({ kind: 'array', of: { kind: 'cluster' } }),
};

type Report = (field: string, problem: string, fix: string) => void;

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'string' ? `"${v}"` : typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;

function checkValue(value: unknown, spec: Spec, path: string, report: Report): void {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') return report(path, `is ${describe(value)}, not a string`, 'write it as a string in quotes');
      if (/[\r\n\t\v\f\0]/.test(value)) {
        report(path, `${JSON.stringify(value)} holds a line break, tab or control character`, 'write it on one line, without tabs');
      } else if (spec.spaces !== 'text' && (value !== value.trim() || (spec.spaces !== 'inner' && /\s/.test(value)))) {
        report(path, `${JSON.stringify(value)} has ${value !== value.trim() ? 'leading or trailing' : 'inner'} whitespace`, `write ${JSON.stringify(value.trim().replace(/\s+/g, ''))} without spaces`);
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) report(path, `is ${describe(value)}, not a number`, 'write a number without quotes');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') report(path, `is ${describe(value)}, not true or false`, 'write true or false without quotes');
      return;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        const near = typeof value === 'string' ? spec.values.find((v) => v.toLowerCase() === value.trim().toLowerCase()) : undefined;
        report(path, `${describe(value)} is not one of ${spec.values.map((v) => `'${v}'`).join(', ')}`, near ? `write '${near}' (exactly, lower case as listed)` : `use one of ${spec.values.map((v) => `'${v}'`).join(', ')}`);
      }
      return;
    case 'array':
      if (!Array.isArray(value)) return report(path, `is ${describe(value)}, not a list`, 'write a list in [ ]');
      value.forEach((item, i) => checkValue(item, spec.of, `${path}[${i}]`, report));
      return;
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return report(path, `is ${describe(value)}, not an object`, 'write an object in { }');
      checkFields(value as Record<string, unknown>, spec.fields, path, report);
      return;
    }
    case 'stack': {
      const s = value as { stackName?: unknown; syncWave?: unknown } | undefined;
      if (typeof value !== 'function' || typeof s?.stackName !== 'string' || typeof s?.syncWave !== 'number') {
        report(path, `is ${describe(value)}, not a stack class`, 'list stack classes imported from stacks/ (e.g. ClusterDnsStack), not strings');
      }
      return;
    }
    case 'cluster':
      return; // each cluster is checked with CLUSTER_FIELDS, under its own name
    case 'choose': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return report(path, `is ${describe(value)}, not an object`, 'write an object in { }');
      const chosen = spec.pick(value as Record<string, unknown>);
      if (typeof chosen === 'string') return report(path, chosen, 'see the field documentation');
      checkValue(value, chosen, path, report);
    }
  }
}

function checkFields(value: Record<string, unknown>, fields: Fields, path: string, report: Report): void {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const [key, field] of Object.entries(fields)) {
    const v = value[key];
    if (v === undefined) {
      if (!field.optional) report(at(key), 'is missing', 'add it (see the field documentation in fleet/cluster.ts and fleet/fleet.ts)');
      continue;
    }
    checkValue(v, field.spec, at(key), report);
  }
  for (const key of Object.keys(value)) {
    if (key in fields || value[key] === undefined) continue;
    const near = Object.keys(fields).find((k) => k.toLowerCase() === key.toLowerCase());
    report(at(key), 'is not a field fleetnet knows, so it would be ignored', near ? `rename it to ${near}` : `remove it; known fields here: ${Object.keys(fields).join(', ')}`);
  }
}

/** Problems with the shape of the fleet and of each cluster: types, enums, unknown fields, whitespace. */
export function shapeIssues(fleet: Fleet): FleetIssue[] {
  const issues: FleetIssue[] = [];
  checkFields(fleet.props as unknown as Record<string, unknown>, FLEET_FIELDS, '', (field, problem, fix) => issues.push({ field, problem, fix }));
  if (!Array.isArray(fleet.props.clusters)) return issues;
  for (const [i, c] of fleet.props.clusters.entries()) {
    const props = (c as { props?: unknown })?.props ?? c;
    const name = typeof (props as { name?: unknown })?.name === 'string' ? (props as { name: string }).name : `#${i}`;
    if (props === null || typeof props !== 'object' || !(c instanceof Cluster)) {
      issues.push({ field: `clusters[${i}]`, problem: `is ${describe(c)}, not a cluster made by cluster({ ... })`, fix: 'declare each cluster with cluster({ ... }) from fleet/cluster.ts' });
      continue;
    }
    checkFields(props as Record<string, unknown>, CLUSTER_FIELDS, '', (field, problem, fix) => issues.push({ cluster: name, field, problem, fix }));
  }
  return issues;
}
