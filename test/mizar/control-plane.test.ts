import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { ApplyResult, KubeClient, KubeObject } from '../../lab/controlplane/kube-client';
import { readManifests } from '../../lab/controlplane/rendered';
import { attributesOf, Fixture, forbiddenOperatorCalls, operatorCalls } from './operator-calls';

/**
 * The synthesized Mizar stack against a real API server (etcd + kube-apiserver, RBAC on): every
 * object is accepted, the pods pass Pod Security only in their privileged namespace, the operator's
 * token can make every call Mizar and kopf make and is refused the rest, and the daemon's token can
 * do nothing.
 */

const chartsOut = resolve(__dirname, '../../charts-out');
const mizarCluster = 'prod-x';
const mizarDir = join(chartsOut, mizarCluster, 'mizar');
const manifests = readManifests(mizarDir).objects;
const find = (kind: string, name: string) => manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name)!.object;
const operatorNs = find('Deployment', 'mizar-operator').metadata.namespace!;
const daemonNs = find('DaemonSet', 'mizar-daemon').metadata.namespace!;

/** Like the Python client and kopf: a 429 (a new CRD's cache still filling) is retried after its Retry-After, a few times. */
async function call(client: KubeClient, method: string, path: string, options: Parameters<KubeClient['request']>[2] = {}) {
  for (let attempt = 1; ; attempt++) {
    const res = await client.request(method, path, options);
    if (res.status !== 429 || attempt === 5) return res;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

let cp: ControlPlane | undefined;
let admin: KubeClient;
let applied: ApplyResult[] = [];
const fixture: Fixture = { ns: 'mizar-calls', pod: 'web-0', service: 'web', policy: 'web-ingress', node: 'node-calls', operatorNs };

beforeAll(async () => {
  cp = await startControlPlane({ name: 'mizar' });
  admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  applied = await admin.applyDirectory(mizarDir, { fieldManager: 'argocd-controller' });
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: fixture.ns } },
    // No controller manager runs, so nobody creates the namespace's default ServiceAccount.
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: fixture.ns } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: fixture.pod, namespace: fixture.ns, labels: { app: 'web' } }, spec: { automountServiceAccountToken: false, containers: [{ name: 'web', image: 'example.org/web:1' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: fixture.service, namespace: fixture.ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: fixture.service, namespace: fixture.ns } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: fixture.policy, namespace: fixture.ns }, spec: { podSelector: { matchLabels: { app: 'web' } } } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: fixture.node } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'system-source', namespace: 'kube-system' }, data: { name: 'kubernetes' } },
  ];
  for (const o of objects) await admin.create(o);
}, 240_000);

afterAll(async () => {
  admin?.close();
  await cp?.stop();
});

describe(`charts-out/${mizarCluster}/mizar on a real API server`, () => {
  it('accepts every object', () => {
    expect(applied.filter((r) => !r.ok)).toEqual([]);
    expect(applied.length).toBe(manifests.length);
  });

  it('stores vpc0 and net0 in default at status Init, with the fleet model ranges', async () => {
    const vpc = await admin.get('mizar.com/v1', 'Vpc', 'vpc0', 'default');
    expect(vpc?.spec).toEqual(find('Vpc', 'vpc0').spec);
    expect((vpc?.spec as { status: string }).status).toBe('Init');
    expect(await admin.get('mizar.com/v1', 'Subnet', 'net0', 'default')).toBeDefined();
  });

  it('validates Vpc and Subnet: a wrong address, state or a missing VPC is refused', async () => {
    const bad = [
      { kind: 'Vpc', spec: { ip: '300.1.2.3', prefix: '16' }, says: 'spec.ip' },
      { kind: 'Vpc', spec: { ip: '10.9.0.0', prefix: '16', status: 'Done' }, says: 'spec.status' },
      { kind: 'Subnet', spec: { ip: '10.9.0.0', prefix: '24' }, says: 'spec.vpc' },
      { kind: 'Vpc', spec: { ip: '10.9.0.0', prefix: '16', dividers: 0 }, says: 'spec.dividers' },
    ];
    for (const b of bad) {
      const res = await admin.request<{ message: string }>('POST', `/apis/mizar.com/v1/namespaces/default/${b.kind.toLowerCase()}s`, {
        body: { apiVersion: 'mizar.com/v1', kind: b.kind, metadata: { name: 'bad' }, spec: b.spec },
      });
      expect(res.status, JSON.stringify(b)).toBe(422);
      expect(res.body.message).toContain(b.says);
    }
  });

  it('keeps what the operator writes into its own kinds (nulls, integers where strings were, unknown fields, .status.kopf)', async () => {
    const endpoint = await admin.create({
      apiVersion: 'mizar.com/v1', kind: 'Endpoint', metadata: { name: 'web-mizar-calls', namespace: 'default' },
      spec: { type: 'scaled', status: 'Init', vpc: 'vpc0', net: 'net0', ip: '172.20.0.9', gw: '', prefix: 18, mac: 'a5:5b:00:00:00:01', vni: 1, droplet: '', itf: '', veth: '', netns: '', hostip: '', hostmac: '', pod: null, cnidelay: 0.25, ports: [{ port: 80 }] },
      status: { kopf: { progress: { handler: { retries: 2 } } } },
    });
    expect(endpoint.spec).toMatchObject({ prefix: 18, vni: 1, cnidelay: 0.25, ports: [{ port: 80 }] });
    expect((endpoint.spec as Record<string, unknown>).pod).toBeUndefined();
    expect(endpoint.status).toEqual({ kopf: { progress: { handler: { retries: 2 } } } });
  });

  it('runs the daemon and the operator only in a namespace that allows privileged pods', async () => {
    for (const kind of ['DaemonSet', 'Deployment']) {
      const workload = manifests.find((m) => m.object.kind === kind)!.object;
      const template = (workload.spec as { template: { spec: Record<string, unknown> } }).template;
      const pod = (namespace: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `check-${kind.toLowerCase()}`, namespace }, spec: template.spec });
      const ok = await admin.request('POST', `/api/v1/namespaces/${workload.metadata.namespace}/pods`, { body: pod(workload.metadata.namespace!), query: { dryRun: 'All' } });
      expect(ok.status, `${kind}: ${ok.text}`).toBe(201);
      await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `baseline-${kind.toLowerCase()}`, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
      await admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: String(template.spec.serviceAccountName), namespace: `baseline-${kind.toLowerCase()}` } });
      const refused = await admin.request<{ message: string }>('POST', `/api/v1/namespaces/baseline-${kind.toLowerCase()}/pods`, { body: pod(`baseline-${kind.toLowerCase()}`), query: { dryRun: 'All' } });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/violates PodSecurity "baseline:latest": host namespaces/);
    }
  });
});

describe("the operator's token (ServiceAccount mizar-operator)", () => {
  let operator: KubeClient;
  beforeAll(async () => {
    operator = admin.withToken(await admin.createToken(operatorNs, 'mizar-operator'));
  });
  afterAll(() => operator?.close());

  it.each(operatorCalls(fixture).map((c) => [`${c.method} ${c.path}`, c] as const))('may %s', async (_, c) => {
    const res = await call(operator, c.method, c.path, { body: c.body, contentType: c.contentType });
    expect(res.status, `${c.source}: ${res.text.slice(0, 400)}`).toBeGreaterThanOrEqual(200);
    expect(res.status, `${c.source}: ${res.text.slice(0, 400)}`).toBeLessThan(300);
  });

  it.each(forbiddenOperatorCalls(fixture).map((c) => [`${c.method} ${c.path}`, c] as const))('may not %s', async (_, c) => {
    const res = await call(operator, c.method, c.path, { body: c.body, contentType: c.contentType });
    expect(res.status, `${c.source}: ${res.text.slice(0, 300)}`).toBe(403);
  });

  it('holds no rule that no call uses', () => {
    const used = operatorCalls(fixture).map(attributesOf);
    const roles = manifests.filter((m) => m.object.kind === 'ClusterRole' || m.object.kind === 'Role');
    for (const role of roles) {
      for (const rule of role.object.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]) {
        for (const group of rule.apiGroups) for (const resource of rule.resources) for (const verb of rule.verbs) {
          const namespace = role.object.kind === 'Role' ? role.object.metadata.namespace : undefined;
          const hit = used.some((u) => u.group === group && u.resource === resource && u.verb === verb && (!namespace || u.namespace === namespace));
          expect(hit, `${role.object.kind} ${role.object.metadata.namespace ?? ''}/${role.object.metadata.name}: ${verb} ${group}/${resource} is granted but no call uses it`).toBe(true);
        }
      }
    }
  });
});

describe("the daemon's token (ServiceAccount mizar-daemon)", () => {
  let daemon: KubeClient;
  beforeAll(async () => {
    daemon = admin.withToken(await admin.createToken(daemonNs, 'mizar-daemon'));
  });
  afterAll(() => daemon?.close());

  it('is granted nothing beyond what every authenticated user has', async () => {
    const review = await daemon.expectOk<{ status: { resourceRules: { resources?: string[] }[] } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } },
    });
    const resources = review.status.resourceRules.flatMap((r) => r.resources ?? []);
    expect(resources.every((r) => /^selfsubject(access|rules)?reviews$|^selfsubjectreviews$/.test(r)), resources.join(', ')).toBe(true);
  });

  it.each([
    ['GET', '/api/v1/pods'],
    ['GET', '/api/v1/nodes'],
    ['GET', '/apis/mizar.com/v1/namespaces/default/vpcs'],
    ['GET', `/api/v1/namespaces/${daemonNs}/configmaps`],
  ])('may not %s %s', async (method, path) => {
    expect((await call(daemon, method, path)).status).toBe(403);
  });
});
