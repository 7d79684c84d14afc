/**
 * Every call Mizar v0.91's operator makes to the API server, read from its source (CentaurusInfra/
 * mizar at tag v0.91) and from kopf 1.35 (the framework its image runs), written as the HTTP request
 * the Python client or kopf sends. Kept apart from constructs/mizar/rbac.ts on purpose: the test runs
 * these requests with the operator's token, so a rule missing from rbac.ts fails it.
 */

/** Names the test creates before it runs the calls. */
export interface Fixture {
  /** A namespace with a pod, a Service, its Endpoints and a NetworkPolicy. */
  readonly ns: string;
  readonly pod: string;
  readonly service: string;
  readonly policy: string;
  readonly node: string;
  /** The operator's own namespace (kopf posts events of cluster-scoped objects there). */
  readonly operatorNs: string;
}

export interface ApiCall {
  /** Who makes it and where (file: function), for the reader and the failure message. */
  readonly source: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  readonly path: string;
  readonly body?: unknown;
  /** @default application/json; patches name their type */
  readonly contentType?: string;
}

const MERGE = 'application/merge-patch+json';
const mizar = (ns: string | undefined, plural: string) => `/apis/mizar.com/v1${ns ? `/namespaces/${ns}` : ''}/${plural}`;
const watch = (path: string) => `${path}${path.includes('?') ? '&' : '?'}watch=1&timeoutSeconds=1`;
/** What kopf patches onto an object it handles: finalizer, last-handled state, progress. */
const kopfMarks = {
  metadata: {
    finalizers: ['kopf.zalando.org/KopfFinalizerMarker'],
    annotations: { 'kopf.zalando.org/last-handled-configuration': '{"spec":{}}', 'kopf.zalando.org/create_fn': '{"started":"2022-03-13T00:00:00","retries":1}' },
  },
};
const kopfProgress = { status: { kopf: { progress: { create_fn: { started: '2022-03-13T00:00:00', retries: 1 } } } } };
const kopfEvent = (ns: string, kind: string, name: string) => ({
  metadata: { namespace: ns, generateName: 'kopf-event-' },
  action: 'Action?',
  type: 'Normal',
  reason: 'Logging',
  message: 'Handler create_fn succeeded.',
  reportingComponent: 'kopf',
  reportingInstance: 'dev',
  source: { component: 'kopf' },
  involvedObject: { apiVersion: 'v1', kind, name, namespace: ns },
  firstTimestamp: '2022-03-13T00:00:00Z',
  lastTimestamp: '2022-03-13T00:00:00Z',
  eventTime: '2022-03-13T00:00:00.000000Z',
});

export const MIZAR_PLURALS = ['vpcs', 'subnets', 'dividers', 'bouncers', 'droplets', 'endpoints'];

/** One object of each kind, with the fields the operator's get_obj_spec writes (mizar/obj/*.py). */
const OPERATOR_OBJECTS: [plural: string, kind: string, spec: Record<string, unknown>][] = [
  ['vpcs', 'Vpc', { ip: '20.0.0.0', prefix: '8', vni: '1', dividers: 1, status: 'Init' }],
  ['subnets', 'Subnet', { ip: '20.0.0.0', prefix: '8', vni: '1', vpc: 'vpc0', bouncers: 1, status: 'Init' }],
  ['dividers', 'Divider', { vpc: 'vpc0', vni: '1', mac: null, ip: null, status: 'Init', droplet: '' }],
  ['bouncers', 'Bouncer', { vpc: 'vpc0', net: 'net0', ip: '', mac: '', status: 'Init', droplet: '', vni: '1', nip: '', prefix: '' }],
  ['droplets', 'Droplet', { main_ip: '192.0.2.21', mac: '02:00:00:00:00:01', ip: '192.0.2.21', status: 'Init', itf: 'eth0' }],
  ['endpoints', 'Endpoint', { type: 'simple', status: 'Init', vpc: 'vpc0', net: 'net0', ip: '172.20.0.5', gw: '172.20.0.1', prefix: 18, mac: '', vni: 1, droplet: '', itf: '', veth: '', netns: '', hostip: '', hostmac: '', cnidelay: '', provisiondelay: '', pod: 'web-0' }],
];

/** The operator's calls. Mizar objects: vpc0/net0 from the manifests, and one divider it creates. */
export function operatorCalls(f: Fixture): ApiCall[] {
  const calls: ApiCall[] = [];
  const add = (source: string, method: ApiCall['method'], path: string, body?: unknown, contentType?: string) => calls.push({ source, method, path, body, contentType });

  for (const plural of MIZAR_PLURALS) {
    add(`kopf: watch ${plural} cluster-wide (initial list)`, 'GET', mizar(undefined, plural));
    add(`kopf: watch ${plural} cluster-wide`, 'GET', watch(mizar(undefined, plural)));
    add(`common.py kube_list_obj: list ${plural} in default`, 'GET', mizar('default', plural));
    add(`common.py kube_watch_obj: watch one of ${plural} by name`, 'GET', watch(`${mizar('default', plural)}?fieldSelector=metadata.name%3Dvpc0`));
  }
  // Each kind is created by the operator (vpc0/net0 when missing, dividers per VPC, bouncers per
  // subnet, a droplet per node, endpoints per pod/Service/host), read, patched and deleted by it.
  for (const [plural, kind, spec] of OPERATOR_OBJECTS) {
    const one = `${mizar('default', plural)}/calls-${kind.toLowerCase()}`;
    add(`common.py kube_create_obj: create a ${kind}`, 'POST', mizar('default', plural), { apiVersion: 'mizar.com/v1', kind, metadata: { name: `calls-${kind.toLowerCase()}` }, spec: { ...spec, createtime: '2022-03-13T00:00:00' } });
    add(`common.py kube_create_obj / kube_update_obj: get the ${kind}`, 'GET', one);
    add(`common.py kube_update_obj: patch the ${kind}'s spec`, 'PATCH', one, { spec: { status: 'Provisioned', provisiondelay: '1.5' } }, MERGE);
    add(`kopf: finalizer, annotations and .status.kopf on the ${kind} (no status subresource)`, 'PATCH', one, { ...kopfMarks, ...kopfProgress }, MERGE);
    add(`common.py kube_delete_obj: delete the ${kind}`, 'DELETE', one);
  }
  add('common.py kube_update_obj: the whole spec of vpc0, prefix as the integer Cidr keeps', 'PATCH', `${mizar('default', 'vpcs')}/vpc0`,
    { spec: { ip: '172.20.0.0', prefix: 16, vni: '1', dividers: 1, status: 'Provisioned', provisiondelay: '1.5' } }, MERGE);
  add('nets quirk: Net.set_obj_spec reads status from "type", so kube_update_obj writes status null', 'PATCH', `${mizar('default', 'subnets')}/net0`,
    { spec: { vni: '1', vpc: 'vpc0', bouncers: 1, status: null } }, MERGE);

  const core = [
    ['pods', `/api/v1/namespaces/${f.ns}/pods/${f.pod}`, true],
    ['services', `/api/v1/namespaces/${f.ns}/services/${f.service}`, true],
    ['endpoints', `/api/v1/namespaces/${f.ns}/endpoints/${f.service}`, false],
    ['nodes', `/api/v1/nodes/${f.node}`, true],
    ['namespaces', `/api/v1/namespaces/${f.ns}`, true],
  ] as const;
  for (const [resource, object, hasStatus] of core) {
    add(`kopf: watch ${resource} cluster-wide (initial list)`, 'GET', `/api/v1/${resource}`);
    add(`kopf: watch ${resource} cluster-wide`, 'GET', watch(`/api/v1/${resource}`));
    add(`kopf: finalizer and annotations on ${resource}`, 'PATCH', object, kopfMarks, MERGE);
    if (hasStatus) add(`kopf 1.35 patching.py: progress through ${resource}/status`, 'PATCH', `${object}/status`, kopfProgress, MERGE);
  }
  add('networkpolicies: kopf initial list', 'GET', '/apis/networking.k8s.io/v1/networkpolicies');
  add('networkpolicies: kopf watch', 'GET', watch('/apis/networking.k8s.io/v1/networkpolicies'));
  add('networkpolicies: kopf marks', 'PATCH', `/apis/networking.k8s.io/v1/namespaces/${f.ns}/networkpolicies/${f.policy}`, kopfMarks, MERGE);
  add('networkpolicies_operator.py: get_namespaced_custom_object(networking.k8s.io)', 'GET', `/apis/networking.k8s.io/v1/namespaces/${f.ns}/networkpolicies/${f.policy}`);

  add('common.py kube_list_pods_by_labels: list_pod_for_all_namespaces', 'GET', `/api/v1/pods?labelSelector=app%3Dweb&fieldSelector=metadata.namespace%3D${f.ns}`);
  add('common.py kube_get_pod: list_pod_for_all_namespaces by name', 'GET', `/api/v1/pods?fieldSelector=metadata.name%3D${f.pod}`);
  add('common.py kube_list_namespaces_by_labels / kube_get_namespace', 'GET', `/api/v1/namespaces?fieldSelector=metadata.name%3D${f.ns}`);
  add('common.py kube_get_service: read_namespaced_service', 'GET', `/api/v1/namespaces/${f.ns}/services/${f.service}`);
  add('common.py kube_get_endpoints: read_namespaced_endpoints', 'GET', `/api/v1/namespaces/${f.ns}/endpoints/${f.service}`);
  add('endpoints_operator.py annotate_builtin_endpoints: patch_namespaced_endpoints', 'PATCH', `/api/v1/namespaces/${f.ns}/endpoints/${f.service}`,
    { metadata: { annotations: { 'mizar.com/scaled-endpoint': 'scaled-endpoint' } } }, 'application/strategic-merge-patch+json');
  add('common.py kube_patch_service: patch_namespaced_service', 'PATCH', `/api/v1/namespaces/${f.ns}/services/${f.service}`,
    { metadata: { labels: { 'mizar.com/touched': 'yes' } } }, 'application/strategic-merge-patch+json');

  add('kopf events.py: event of a namespaced object', 'POST', `/api/v1/namespaces/${f.ns}/events`, kopfEvent(f.ns, 'Pod', f.pod));
  add('kopf events.py: event of a cluster-scoped object, in the operator namespace', 'POST', `/api/v1/namespaces/${f.operatorNs}/events`, kopfEvent(f.operatorNs, 'Node', f.node));
  add('kopf observation.py: CRDs (initial list)', 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
  add('kopf observation.py: watch CRDs', 'GET', watch('/apis/apiextensions.k8s.io/v1/customresourcedefinitions'));
  add('operator.py read_config_map: kube-system/system-source', 'GET', '/api/v1/namespaces/kube-system/configmaps/system-source');
  add('kopf scanning.py: API discovery', 'GET', '/apis/mizar.com/v1');
  return calls;
}

/** Calls neither Mizar nor kopf makes: the operator's token must be refused each of them. */
export function forbiddenOperatorCalls(f: Fixture): ApiCall[] {
  return [
    { source: 'Mizar objects outside default', method: 'POST', path: mizar(f.ns, 'vpcs'), body: { apiVersion: 'mizar.com/v1', kind: 'Vpc', metadata: { name: 'elsewhere' }, spec: { ip: '10.9.0.0', prefix: '16' } } },
    { source: 'update (PUT) of a Mizar object: it only patches', method: 'PUT', path: `${mizar('default', 'vpcs')}/vpc0`, body: { apiVersion: 'mizar.com/v1', kind: 'Vpc', metadata: { name: 'vpc0' }, spec: { ip: '10.9.0.0', prefix: '16' } } },
    { source: 'create pods', method: 'POST', path: `/api/v1/namespaces/${f.ns}/pods`, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'x', image: 'x' }] } } },
    { source: 'delete pods', method: 'DELETE', path: `/api/v1/namespaces/${f.ns}/pods/${f.pod}` },
    { source: 'delete nodes', method: 'DELETE', path: `/api/v1/nodes/${f.node}` },
    { source: 'read secrets', method: 'GET', path: '/api/v1/secrets' },
    { source: 'other ConfigMaps of kube-system', method: 'GET', path: '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication' },
    { source: 'Arktos only: ConfigMap default/mizar-grpc-service', method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mizar-grpc-service' }, data: { host: '127.0.0.1' } } },
    { source: 'create CRDs', method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: {} },
    { source: 'patch Deployments', method: 'PATCH', path: `/apis/apps/v1/namespaces/${f.operatorNs}/deployments/mizar-operator`, body: {}, contentType: MERGE },
    { source: 'kopf peering (standalone: none)', method: 'GET', path: '/apis/kopf.dev/v1/clusterkopfpeerings' },
  ];
}

/** The RBAC attributes of a call: verb, API group, resource (with subresource), namespace. */
export function attributesOf(call: ApiCall): { verb: string; group: string; resource: string; namespace?: string } {
  const [path, query = ''] = call.path.split('?');
  const parts = path.split('/').filter(Boolean);
  const [group, rest] = parts[0] === 'api' ? ['', parts.slice(2)] : [parts[1], parts.slice(3)];
  let namespace: string | undefined;
  let tail = rest;
  // namespaces/<ns>/<resource>…, except a Namespace's own subresources (namespaces/<ns>/status).
  if (tail[0] === 'namespaces' && tail.length > 2 && !(tail.length === 3 && ['status', 'finalize'].includes(tail[2]))) {
    namespace = tail[1];
    tail = tail.slice(2);
  }
  const resource = tail.length > 2 ? `${tail[0]}/${tail[2]}` : tail[0];
  const named = tail.length >= 2;
  const watching = /(^|&)watch=1/.test(query);
  const verb = { GET: watching ? 'watch' : named ? 'get' : 'list', POST: 'create', PATCH: 'patch', DELETE: 'delete', PUT: 'update' }[call.method];
  return { verb, group, resource, namespace };
}
