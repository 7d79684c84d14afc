import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { goModules } from '../../constructs/catalog';
import { createServer } from 'node:net';
import { ControlPlane, PortInUseError, startControlPlane } from '../../lab/controlplane/control-plane';
import { ApplyError, KubeClient, KubeObject, writeKubeconfig } from '../../lab/controlplane/kube-client';

// One real etcd + kube-apiserver (tools/controlplane/build.sh) for the whole file.
const NS = 'harness-demo';

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: NS } },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'configmap-reader', namespace: NS },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'reader-reads-configmaps', namespace: NS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: NS }],
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS }, data: { color: 'blue' } },
  {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.demo.fleetnet.test' },
    spec: {
      group: 'demo.fleetnet.test',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: { size: { type: 'integer', minimum: 1, maximum: 10 } },
                },
              },
            },
          },
        },
      ],
    },
  },
  { apiVersion: 'demo.fleetnet.test/v1', kind: 'Widget', metadata: { name: 'small', namespace: NS }, spec: { size: 2 } },
];

/** The objects as a charts-out-like folder (one file each, under a stack folder). */
function writeFolder(dir: string, list: KubeObject[]): void {
  const stack = join(dir, 'demo');
  mkdirSync(stack, { recursive: true });
  list.forEach((o, i) => {
    writeFileSync(join(stack, `${String(i).padStart(2, '0')}.${o.kind.toLowerCase()}.${o.metadata.name}.yaml`), stringify(o));
  });
}

describe('a real control plane (etcd + kube-apiserver)', () => {
  let cp: ControlPlane;
  let admin: KubeClient;
  let work: string;

  beforeAll(async () => {
    cp = await startControlPlane({ name: 'harness-test' });
    admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    work = mkdtempSync(join(tmpdir(), 'fleetnet-harness-test-'));
  }, 240_000);

  afterAll(async () => {
    admin?.close();
    await cp?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('serves the catalog version on 127.0.0.1', async () => {
    expect(cp.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const version = await admin.expectOk<{ gitVersion: string }>('GET', '/version');
    expect(version.gitVersion).toBe(goModules.kubernetes.version);
  });

  it('applies a folder: Namespace and CRD first, then the rest, including the custom resource', async () => {
    const dir = join(work, 'cluster');
    writeFolder(dir, objects);
    const results = await admin.applyDirectory(dir, { fieldManager: 'harness-test' });
    expect(results.map((r) => [r.kind, r.ok])).toEqual(expect.arrayContaining([['Widget', true], ['CustomResourceDefinition', true]]));
    expect(results.every((r) => r.ok)).toBe(true);
    // Namespace and CRD went first.
    expect(results.slice(0, 2).map((r) => r.kind).sort()).toEqual(['CustomResourceDefinition', 'Namespace']);
    const widget = await admin.get('demo.fleetnet.test/v1', 'Widget', 'small', NS);
    expect((widget?.spec as { size: number }).size).toBe(2);
    // Applying again is a no-op success (server-side apply is idempotent).
    await expect(admin.applyDirectory(dir, { fieldManager: 'harness-test' })).resolves.toHaveLength(objects.length);
  }, 120_000);

  it("authorizes a ServiceAccount's token by its RoleBinding: configmaps 200, secrets 403", async () => {
    const token = await admin.createToken(NS, 'reader');
    expect(token.split('.')).toHaveLength(3);
    const reader = admin.withToken(token);
    try {
      const configmaps = await reader.request<{ items: KubeObject[] }>('GET', `/api/v1/namespaces/${NS}/configmaps`);
      expect(configmaps.status).toBe(200);
      expect(configmaps.body.items.map((c) => c.metadata.name)).toContain('settings');

      const secrets = await reader.request<{ message: string }>('GET', `/api/v1/namespaces/${NS}/secrets`);
      expect(secrets.status).toBe(403);
      expect(secrets.body.message).toContain(`system:serviceaccount:${NS}:reader`);

      // Another namespace is out of the Role's reach too.
      expect((await reader.request('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(403);

      // The authorizer agrees when asked directly.
      expect((await reader.accessReview({ verb: 'list', resource: 'configmaps', namespace: NS })).allowed).toBe(true);
      expect((await reader.accessReview({ verb: 'delete', resource: 'configmaps', namespace: NS })).allowed).toBe(false);
      const sar = await admin.accessReview(
        { verb: 'get', resource: 'secrets', namespace: NS },
        { user: `system:serviceaccount:${NS}:reader`, groups: ['system:serviceaccounts', `system:serviceaccounts:${NS}`] },
      );
      expect(sar.allowed).toBe(false);
    } finally {
      reader.close();
    }
  }, 60_000);

  it('rejects an invalid object with the API server\'s own message', async () => {
    const [bad] = await admin.serverSideApply(
      [{ apiVersion: 'demo.fleetnet.test/v1', kind: 'Widget', metadata: { name: 'huge', namespace: NS }, spec: { size: 99 } }],
      { fieldManager: 'harness-test' },
    );
    expect(bad.ok).toBe(false);
    expect(bad.status).toBe(422);
    expect(bad.message).toMatch(/spec\.size/);
    expect(bad.message).toMatch(/less than or equal to 10/);

    const [badName] = await admin.serverSideApply(
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Valid_Name', namespace: NS }, data: {} }],
      { fieldManager: 'harness-test', dryRun: true },
    );
    expect(badName.ok).toBe(false);
    expect(badName.message).toMatch(/RFC 1123/);

    // From a folder, every rejected object is listed with its file.
    const dir = join(work, 'broken');
    writeFolder(dir, [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine', namespace: NS }, data: { a: 'b' } },
      { apiVersion: 'demo.fleetnet.test/v1', kind: 'Widget', metadata: { name: 'no-size', namespace: NS }, spec: {} },
      { apiVersion: 'example.invalid/v1', kind: 'Gadget', metadata: { name: 'unknown-kind', namespace: NS } },
    ]);
    const error = await admin.applyDirectory(dir, { fieldManager: 'harness-test' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplyError);
    const message = (error as ApplyError).message;
    expect(message).toMatch(/^2 of 3 objects were rejected/);
    expect(message).toContain('demo/01.widget.no-size.yaml: demo.fleetnet.test/v1 Widget harness-demo/no-size: 422');
    expect(message).toContain('spec.size: Required value');
    expect(message).toContain('demo/02.gadget.unknown-kind.yaml: example.invalid/v1 Gadget');
    expect(message).toContain('no resource type for example.invalid/v1 Gadget');
  }, 60_000);

  it('never lets the API server call a webhook off this machine', async () => {
    const webhook: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'harness-guard' },
      webhooks: [
        {
          name: 'guard.harness.fleetnet.test',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          timeoutSeconds: 2,
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NS } },
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
          clientConfig: { service: { namespace: NS, name: 'no-such-webhook', port: 443 } },
        },
      ],
    };
    const [registered] = await admin.serverSideApply([webhook], { fieldManager: 'harness-test' });
    expect(registered.ok).toBe(true);
    try {
      // The configuration takes a moment to be picked up: bounded retries until the webhook is called.
      let message = '';
      for (let i = 0; i < 50 && !message.includes('failed calling webhook'); i++) {
        const res = await admin.request<{ message: string }>('POST', `/api/v1/namespaces/${NS}/configmaps`, {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'guarded-' } },
          query: { dryRun: 'All' },
        });
        message = res.status >= 400 ? res.body.message : '';
        if (!message.includes('failed calling webhook')) await new Promise((r) => setTimeout(r, 200));
      }
      // Refused on loopback (the harness's dead proxy) or unresolvable (no EndpointSlices): never dialed out.
      expect(message).toMatch(/failed calling webhook "guard\.harness\.fleetnet\.test".*(127\.0\.0\.1:1: connect: connection refused|no endpoints)/);
    } finally {
      await admin.delete('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'harness-guard');
    }
  }, 60_000);

  it('writes a kubeconfig that points at this control plane', () => {
    const path = join(work, 'kubeconfig');
    writeKubeconfig(path, { server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    expect(existsSync(path)).toBe(true);
    const config = parse(readFileSync(path, 'utf8'));
    expect(config.clusters[0].cluster.server).toBe(cp.url);
    expect(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(cp.caPem);
    expect(config.users[0].user.token).toBe(cp.adminToken);
  });
});

describe('start-up failures are reported clearly', () => {
  it('names the build script when a binary is missing', async () => {
    await expect(startControlPlane({ name: 'missing', binaries: { kubeApiserver: '/nonexistent/kube-apiserver' } })).rejects.toThrow(
      /kube-apiserver v[\d.]+ is not built: \/nonexistent\/kube-apiserver is missing\. Run tools\/controlplane\/build\.sh/,
    );
  });

  it('reports a taken port', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const error = await startControlPlane({ name: 'taken', ports: { etcdClient: port } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toContain(`etcd client port: 127.0.0.1:${port} is already in use`);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it("shows etcd's last log lines when it does not become healthy", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetnet-fake-etcd-'));
    try {
      const fake = join(dir, 'etcd');
      writeFileSync(fake, '#!/bin/sh\necho "fake etcd: refusing to start" >&2\nexit 3\n');
      chmodSync(fake, 0o755);
      await expect(startControlPlane({ name: 'sick', binaries: { etcd: fake } })).rejects.toThrow(
        /etcd v[\d.]+ for control plane "sick" did not become healthy at http:\/\/127\.0\.0\.1:\d+ \(exited \(3\)[^]*fake etcd: refusing to start/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
