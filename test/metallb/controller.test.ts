import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedLoadBalancerIp, METALLB_SYNC_WAVES, METALLB_VALIDATIONS, validationPath } from '../../constructs/metallb/index';
import { contains, parsePoolAddresses } from '../../constructs/common/ip';
import { syncWaveOf } from '../../constructs/common/workload';
import { stackObjects } from '../../lab/controlplane/rendered';
import { ControlPlane, logTail, startControlPlane } from '../../lab/controlplane/control-plane';
import { formatApplyFailures, KubeClient, KubeObject, writeKubeconfig } from '../../lab/controlplane/kube-client';
import { commandFromDeployment, METALLB_CONTROLLER_BINARY, startMetalLbProgram, waitForControllerConfigured } from '../../lab/metallb/controller-process';
import { freePort, portTaken, RunningProgram, sleep, waitFor } from '../../lab/process';
import { httpsCall } from './https-call';
import { controllerCalls, controllerNeighbours, speakerCalls, speakerNeighbours } from './rbac-calls';
import { lbX, metallbTestFleet } from './test-fleet';

/**
 * The real MetalLB controller (built from the catalog's Go module) against a real API server, under
 * the RBAC our manifests ship: the test fleet's metallb stack is applied server-side wave by wave, the
 * controller runs as a local process with a token of OUR controller ServiceAccount and the command
 * line of OUR Deployment, and Services get (or are refused) addresses from OUR pools. Loopback only.
 *
 * Choices, and why:
 * - Webhook and certificate rotation stay ON, as in the cluster: the rotator's calls (Secret update,
 *   caBundle injection into the webhook configuration and the BGPPeer CRD) are part of what the RBAC
 *   must allow. The test plays the kubelet for the certificate volume: it copies the Secret's keys
 *   into the certificate folder, as a secret volume would. The webhook server then listens on
 *   controller-runtime's fixed port 9443 (all interfaces; only called here, on 127.0.0.1).
 * - The API server itself never calls the webhook: it would dial the Service's ClusterIP, and this test
 *   sends nothing off loopback. So the ValidatingWebhookConfiguration is applied after the pools (in a
 *   cluster it comes a wave earlier) and the test calls each webhook path directly, over TLS verified
 *   with the caBundle the controller injected. No BGPPeer is stored, so no conversion is requested.
 * - No kubelet, scheduler or controller-manager: the controller's own Pod (it reads it at start) is
 *   created from the Deployment's template and never runs. The webhook Secret is OUR rendered, empty
 *   Secret (wave 0): nothing is created by hand, as nothing is on a real cluster.
 */

const NS = 'metallb-system';
const SVC_NS = 'lb-test';
const POD = 'metallb-controller-test';
const WEBHOOK_PORT = 9443;
const ARGO = 'argocd-controller';
const SA_GROUPS = ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'];

const timings: Record<string, number> = {};
const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  const start = Date.now();
  try {
    return await f();
  } finally {
    timings[name] = Date.now() - start;
  }
};

/** The metallb stack of the test cluster, rendered by the same code as charts-out. */
const renderedObjects = () => stackObjects(metallbTestFleet, lbX, 'metallb') as KubeObject[];
const inPool = (pool: string, ip: string) => lbX.loadBalancer.pools.find((p) => p.name === pool)!.addresses.some((a) => contains(parsePoolAddresses(a)!, ip));

describe('the real MetalLB controller allocates from our pools, under our RBAC', () => {
  let cp: ControlPlane | undefined;
  let admin: KubeClient;
  let controller: RunningProgram | undefined;
  let workDir: string;
  let metricsPort: number;
  const objects = renderedObjects();
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployment = byKind('Deployment')[0];
  const vwc = byKind('ValidatingWebhookConfiguration')[0];

  const apply = async (list: KubeObject[]) => {
    const results = await admin.serverSideApply(list, { fieldManager: ARGO });
    if (results.some((r) => !r.ok)) throw new Error(formatApplyFailures(results));
  };
  const state = () => `controller log (last lines):\n${controller ? logTail(controller.logFile, 25) : '(not started)'}`;

  type Svc = KubeObject & { status?: { loadBalancer?: { ingress?: { ip: string }[] } } };
  const createService = (name: string, annotations: Record<string, string> = {}) =>
    admin.create<Svc>({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: SVC_NS, annotations },
      spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });
  const addressesOf = async (name: string) => (await admin.get<Svc>('v1', 'Service', name, SVC_NS))?.status?.loadBalancer?.ingress?.map((i) => i.ip) ?? [];
  const addressOf = (name: string, timeoutMs = 20_000) =>
    waitFor(`an address in the status of Service ${SVC_NS}/${name}`, async () => (await addressesOf(name))[0], { timeoutMs, state });
  const eventsOf = async (name: string, reason: string) =>
    (await admin.list<KubeObject & { involvedObject: { name: string }; reason: string; type: string; message: string; source?: { component?: string } }>('v1', 'Event', SVC_NS))
      .filter((e) => e.involvedObject.name === name && e.reason === reason);

  beforeAll(async () => {
    if (await portTaken(WEBHOOK_PORT)) throw new Error(`port ${WEBHOOK_PORT} is taken: the MetalLB controller's webhook server needs it (fixed in its code); stop what holds it`);
    workDir = mkdtempSync(join(tmpdir(), 'fleetnet-metallb-'));
    cp = await timed('control plane start', () => startControlPlane({ name: 'metallb' }));
    admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });

    await timed('apply waves 0-2 (server-side, as Argo CD)', async () => {
      // Wave 0: namespace, CRDs and the empty webhook Secret; the API server refuses a CRD whose
      // schema is not structural.
      await apply(objects.filter((o) => syncWaveOf(o) === METALLB_SYNC_WAVES.crds));
      await admin.waitForCrdsEstablished(byKind('CustomResourceDefinition').map((c) => c.metadata.name!));
      await admin.refreshDiscovery();
      // Wave 1 without the webhook configuration (see above), then the Pod.
      await apply(objects.filter((o) => syncWaveOf(o) === METALLB_SYNC_WAVES.components && o !== vwc));
      const template = (deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: unknown } }).template;
      await admin.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: POD, namespace: NS, labels: template.metadata.labels }, spec: template.spec });
      // Wave 2: pools and advertisements.
      await apply(objects.filter((o) => syncWaveOf(o) === METALLB_SYNC_WAVES.configuration));
      await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SVC_NS } });
    });

    const token = await admin.createToken(NS, 'metallb-controller');
    const kubeconfig = join(workDir, 'kubeconfig');
    writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token });
    // controller-runtime's webhook server reads <os.TempDir()>/k8s-webhook-server/serving-certs whatever
    // --cert-dir says (the rotator uses --cert-dir), so the process gets its own TMPDIR and the same folder.
    const certDir = join(workDir, 'k8s-webhook-server', 'serving-certs');
    mkdirSync(certDir, { recursive: true });
    metricsPort = await freePort();
    const { args, env } = commandFromDeployment(deployment, { name: POD, namespace: NS }, {
      '--port': String(metricsPort),
      '--health-probe-port': String(await freePort()),
      '--cert-dir': certDir,
    });
    const started = Date.now();
    controller = startMetalLbProgram(METALLB_CONTROLLER_BINARY, args, { ...env, KUBECONFIG: kubeconfig, HOME: workDir, TMPDIR: workDir }, join(workDir, 'controller.log'));

    // Play the kubelet: project the webhook Secret, once the controller has filled it, into the folder.
    await waitForControllerConfigured(admin, controller, { namespace: NS, certDir, state });
    timings['controller start to configuration loaded'] = Date.now() - started;
  }, 240_000);

  afterAll(async () => {
    await controller?.stop();
    admin?.close();
    await cp?.stop();
    if (workDir && !process.env.FLEETNET_KEEP_CONTROLPLANE) rmSync(workDir, { recursive: true, force: true });
    console.log(`MetalLB controller test timings (ms): ${JSON.stringify(timings)}`);
  }, 60_000);

  it('our CRDs, RBAC and pod template are accepted by the API server (structural schemas, Pod Security)', () => {
    // beforeAll applied every object of waves 0-2 and created the controller Pod; this names the result.
    expect(byKind('CustomResourceDefinition')).toHaveLength(9);
    expect(controller!.alive(), state()).toBe(true);
  });

  it('fills the empty certificate Secret we render, and Argo CD\'s server-side re-apply keeps the certificate', async () => {
    type Secret = KubeObject & { data?: Record<string, string> };
    type ManagedFields = { manager: string; operation: string; fieldsV1?: { 'f:data'?: Record<string, unknown> } }[];
    const rendered = byKind('Secret').find((o) => o.metadata.name === 'metallb-webhook-cert')!;
    expect(syncWaveOf(rendered)).toBeLessThan(syncWaveOf(deployment));
    expect('data' in rendered || 'stringData' in rendered).toBe(false);
    const getSecret = async () => (await admin.get<Secret>('v1', 'Secret', 'metallb-webhook-cert', NS))!;
    const filled = await getSecret();
    expect(Object.keys(filled.data ?? {}).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    // Who owns what: our apply owns no data key, so no apply of ours can remove one.
    const dataOwners = (s: Secret) => (s.metadata.managedFields as ManagedFields).filter((m) => m.fieldsV1?.['f:data']).map((m) => `${m.manager} ${m.operation}`);
    const writers = dataOwners(filled);
    expect(writers).toHaveLength(1);
    expect(writers[0]).not.toMatch(new RegExp(`^${ARGO} `));
    expect(writers[0]).toMatch(/ Update$/);

    // A sync (Argo CD with the stack's ServerSideApply=true, or the bootstrap's direct mode) applies
    // the same empty manifest again: the certificate stays.
    await apply([rendered]);
    const afterSync = await getSecret();
    expect(afterSync.data).toEqual(filled.data);
    expect(dataOwners(afterSync)).toEqual(writers);
    // Argo CD's RespectIgnoreDifferences copies the ignored /data from live into what it applies, so the
    // same bytes become co-owned by Argo CD's manager; the controller stays an owner, so even a later
    // apply of the empty manifest alone removes nothing.
    await apply([{ ...rendered, data: afterSync.data }]);
    await apply([rendered]);
    const afterCopy = await getSecret();
    expect(afterCopy.data).toEqual(filled.data);
    expect(dataOwners(afterCopy)).toContain(writers[0]);
    expect(controller!.alive(), state()).toBe(true);
  }, 30_000);

  it('creates the speakers\' memberlist Secret, owned by its Deployment', async () => {
    const secret = await admin.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', 'memberlist', NS);
    expect(Object.keys(secret?.data ?? {})).toEqual(['secretkey']);
    expect((secret!.metadata.ownerReferences as { kind: string; name: string }[]).map((o) => [o.kind, o.name])).toEqual([['Deployment', 'metallb-controller']]);
  });

  it('a Service asking for a fixed address (fixedLoadBalancerIp) gets exactly that address', async () => {
    const ip = '127.0.20.17';
    await createService('gateway', fixedLoadBalancerIp(lbX, ip));
    const got = await timed('allocation: fixed address', () => addressOf('gateway'));
    expect(got).toBe(ip);
    expect(inPool('fixed', got)).toBe(true);
  }, 30_000);

  it('Services asking for nothing get distinct addresses of the autoAssign pool only', async () => {
    await createService('web-a');
    await createService('web-b');
    const a = await timed('allocation: automatic', () => addressOf('web-a'));
    const b = await addressOf('web-b');
    expect(a).not.toBe(b);
    for (const ip of [a, b]) expect(inPool('default', ip), ip).toBe(true);
    expect((await admin.get('v1', 'Service', 'web-a', SVC_NS))?.metadata.annotations?.['metallb.io/ip-allocated-from-pool']).toBe('default');
  }, 30_000);

  it('a Service naming a pool (metallb.io/address-pool) gets an address of that pool', async () => {
    await createService('reserved', { 'metallb.io/address-pool': 'fixed' });
    const ip = await addressOf('reserved');
    expect(inPool('fixed', ip), ip).toBe(true);
    expect(ip).not.toBe('127.0.20.17');
  }, 30_000);

  it('an address outside every pool is refused: a Warning event, and no address at all', async () => {
    await createService('outside', { 'metallb.io/loadBalancerIPs': '127.0.20.200' });
    const events = await waitFor('an AllocationFailed event on Service outside', async () => {
      const e = await eventsOf('outside', 'AllocationFailed');
      return e.length > 0 ? e : undefined;
    }, { timeoutMs: 20_000, state });
    expect(events[0].type).toBe('Warning');
    expect(events[0].source?.component).toBe('metallb-controller');
    expect(events[0].message).toContain('127.0.20.200');
    await sleep(2000);
    expect(await addressesOf('outside')).toEqual([]);
  }, 30_000);

  it('deleting a Service frees its address for the next one', async () => {
    await createService('single-a', { 'metallb.io/address-pool': 'single' });
    expect(await addressOf('single-a')).toBe('127.0.20.32');
    await createService('single-b', { 'metallb.io/address-pool': 'single' });
    await waitFor('an AllocationFailed event on single-b (the pool has one address)', async () => ((await eventsOf('single-b', 'AllocationFailed')).length > 0 ? true : undefined), { timeoutMs: 20_000, state });
    expect(await addressesOf('single-b')).toEqual([]);
    await admin.delete('v1', 'Service', 'single-a', SVC_NS);
    expect(await timed('reallocation after delete', () => addressOf('single-b'))).toBe('127.0.20.32');
  }, 60_000);

  it('keeps the pool counters in IPAddressPool status (ipaddresspools/status)', async () => {
    const status = await waitFor('pool "single" counters to show its one address assigned', async () => {
      const s = (await admin.get<KubeObject & { status?: Record<string, number> }>('metallb.io/v1beta1', 'IPAddressPool', 'single', NS))?.status;
      return s?.assignedIPv4 === 1 ? s : undefined;
    }, { timeoutMs: 20_000, state });
    expect(status).toMatchObject({ assignedIPv4: 1, availableIPv4: 0 });
  }, 30_000);

  it('injects its CA into our webhook configuration and BGPPeer CRD, and Argo CD\'s server-side re-apply keeps it', async () => {
    await apply([vwc]);
    const bundles = await timed('caBundle injection', () => waitFor('caBundle in every webhook and in the BGPPeer conversion', async () => {
      const live = await admin.get<KubeObject & { webhooks: { clientConfig: { caBundle?: string } }[] }>('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'metallb-webhook-configuration');
      const crd = await admin.get<KubeObject & { spec: { conversion: { webhook: { clientConfig: { caBundle?: string } } } } }>('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'bgppeers.metallb.io');
      const all = [...(live?.webhooks ?? []).map((w) => w.clientConfig.caBundle), crd?.spec.conversion.webhook.clientConfig.caBundle];
      return all.every((b) => b) ? all : undefined;
    }, { timeoutMs: 30_000, state }));
    expect(new Set(bundles).size).toBe(1);
    // A sync applies the same YAML again (no caBundle in it): the controller's field stays.
    await apply([vwc, byKind('CustomResourceDefinition').find((c) => c.metadata.name === 'bgppeers.metallb.io')!]);
    const after = await admin.get<KubeObject & { webhooks: { clientConfig: { caBundle?: string } }[] }>('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'metallb-webhook-configuration');
    expect(after!.webhooks.map((w) => w.clientConfig.caBundle)).toEqual(bundles.slice(0, -1));
  }, 60_000);

  it('serves every path our webhook configuration names, with the injected CA, and validates pools for real', async () => {
    const live = await admin.get<KubeObject & { webhooks: { name: string; clientConfig: { caBundle: string; service: { name: string; namespace: string; path: string } } }[] }>(
      'admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'metallb-webhook-configuration');
    const ca = Buffer.from(live!.webhooks[0].clientConfig.caBundle, 'base64').toString();
    const servername = `${live!.webhooks[0].clientConfig.service.name}.${live!.webhooks[0].clientConfig.service.namespace}.svc`;
    await waitFor('the webhook server to listen on 9443', async () => ((await httpsCall({ port: WEBHOOK_PORT, path: '/', ca, servername }).catch(() => undefined)) ? true : undefined), { timeoutMs: 30_000, state });
    const review = (path: string, kind: string, version: string, object: unknown) => httpsCall({
      port: WEBHOOK_PORT, path, ca, servername,
      body: {
        apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
        request: {
          uid: `${kind}-${Date.now()}`, kind: { group: 'metallb.io', version, kind }, resource: { group: 'metallb.io', version, resource: kind.toLowerCase() },
          namespace: NS, operation: 'CREATE', userInfo: { username: 'test' }, object,
        },
      },
    });
    const meta = (name: string) => ({ name, namespace: NS });
    const samples: Record<string, { kind: string; version: string; object: unknown }> = {
      ipaddresspools: { kind: 'IPAddressPool', version: 'v1beta1', object: { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: meta('extra'), spec: { addresses: ['127.0.22.0/29'] } } },
      l2advertisements: { kind: 'L2Advertisement', version: 'v1beta1', object: { apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: meta('extra'), spec: { ipAddressPools: ['default'] } } },
      bgpadvertisements: { kind: 'BGPAdvertisement', version: 'v1beta1', object: { apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', metadata: meta('extra'), spec: { ipAddressPools: ['default'] } } },
      communities: { kind: 'Community', version: 'v1beta1', object: { apiVersion: 'metallb.io/v1beta1', kind: 'Community', metadata: meta('extra'), spec: { communities: [{ name: 'no-export', value: '65535:65281' }] } } },
      bfdprofiles: { kind: 'BFDProfile', version: 'v1beta1', object: { apiVersion: 'metallb.io/v1beta1', kind: 'BFDProfile', metadata: meta('extra'), spec: {} } },
      bgppeers: { kind: 'BGPPeer', version: 'v1beta2', object: { apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer', metadata: meta('extra'), spec: { myASN: 64513, peerASN: 64512, peerAddress: '127.0.22.1' } } },
    };
    for (const hook of live!.webhooks) {
      const validation = METALLB_VALIDATIONS.find((v) => validationPath(v) === hook.clientConfig.service.path)!;
      const sample = samples[validation.plural];
      const res = await review(hook.clientConfig.service.path, sample.kind, sample.version, sample.object);
      expect(res.status, `${hook.name} ${hook.clientConfig.service.path}: ${res.text}`).toBe(200);
      expect(res.json?.response?.allowed, `${hook.name}: ${res.text}`).toBe(true);
    }
    // A pool overlapping one of ours is refused by MetalLB's own validation.
    const overlap = await review(validationPath(METALLB_VALIDATIONS.find((v) => v.plural === 'ipaddresspools')!), 'IPAddressPool', 'v1beta1',
      { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: meta('overlap'), spec: { addresses: ['127.0.20.4/30'] } });
    expect(overlap.json?.response?.allowed, overlap.text).toBe(false);
    expect(overlap.json?.response?.status?.message).toMatch(/overlap/i);
    // The conversion our BGPPeer CRD points at: a v1beta1 peer comes back as v1beta2.
    const converted = await httpsCall({
      port: WEBHOOK_PORT, path: '/convert', ca, servername,
      body: {
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview',
        request: { uid: 'c1', desiredAPIVersion: 'metallb.io/v1beta2', objects: [{ apiVersion: 'metallb.io/v1beta1', kind: 'BGPPeer', metadata: meta('old'), spec: { myASN: 64513, peerASN: 64512, peerAddress: '127.0.22.1' } }] },
      },
    });
    expect(converted.json?.response?.result?.status, converted.text).toBe('Success');
    expect(converted.json.response.convertedObjects[0]).toMatchObject({ apiVersion: 'metallb.io/v1beta2', spec: { peerAddress: '127.0.22.1', peerASN: 64512 } });
  }, 60_000);

  it('serves metrics to an authorized scraper only (tokenreviews and subjectaccessreviews)', async () => {
    await admin.serverSideApply([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'scraper', namespace: SVC_NS } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'test-metrics-reader' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'test-metrics-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'test-metrics-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'scraper', namespace: SVC_NS }] },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'stranger', namespace: SVC_NS } },
    ], { fieldManager: 'test' });
    const scraper = await admin.createToken(SVC_NS, 'scraper');
    const stranger = await admin.createToken(SVC_NS, 'stranger');
    const ok = await waitFor('metrics for the authorized scraper', async () => {
      const r = await httpsCall({ port: metricsPort, path: '/metrics', token: scraper });
      return r.status === 200 ? r : undefined;
    }, { timeoutMs: 20_000, state });
    expect(ok.text).toContain('metallb_allocator_addresses_in_use_total');
    expect((await httpsCall({ port: metricsPort, path: '/metrics', token: stranger })).status).toBe(403);
  }, 30_000);

  it('every call MetalLB makes is allowed for its ServiceAccount, and the neighbours are denied (SubjectAccessReview)', async () => {
    const check = async (sa: string, calls: ReturnType<typeof controllerCalls>, expected: boolean) => {
      const wrong: string[] = [];
      for (const call of calls) {
        const { why, ...attributes } = call;
        const r = await admin.accessReview(attributes, { user: `system:serviceaccount:${NS}:${sa}`, groups: SA_GROUPS });
        if (r.allowed !== expected) wrong.push(`${sa} ${expected ? 'may not' : 'may'} ${JSON.stringify(attributes)} (${why})`);
      }
      return wrong;
    };
    const problems = [
      ...(await check('metallb-controller', controllerCalls(NS, SVC_NS, POD), true)),
      ...(await check('metallb-controller', controllerNeighbours(NS, SVC_NS), false)),
      ...(await check('metallb-speaker', speakerCalls(NS, SVC_NS, 'speaker-x'), true)),
      ...(await check('metallb-speaker', speakerNeighbours(NS, SVC_NS), false)),
    ];
    expect(problems).toEqual([]);
  }, 60_000);

  it('a missing verb fails: without services/status update no Service gets an address, and with it back the Service does', async () => {
    const clusterRole = byKind('ClusterRole').find((r) => r.metadata.name === 'fleetnet-metallb-controller')!;
    const rules = clusterRole.rules as { resources: string[]; verbs: string[] }[];
    const without = { ...clusterRole, rules: rules.filter((r) => !r.resources.includes('services/status')) };
    expect(without.rules).toHaveLength(rules.length - 1);
    await apply([without]);
    await waitFor('the API server to stop authorizing services/status update', async () => {
      const r = await admin.accessReview({ verb: 'update', resource: 'services', subresource: 'status', namespace: SVC_NS, name: 'x' }, { user: `system:serviceaccount:${NS}:metallb-controller`, groups: SA_GROUPS });
      return r.allowed ? undefined : true;
    }, { timeoutMs: 10_000 });
    try {
      await createService('denied');
      await waitFor('the controller to be refused', async () => (/services \\?"denied\\?" is forbidden/.test(controller!.log()) ? true : undefined), { timeoutMs: 20_000, state });
      expect(await addressesOf('denied')).toEqual([]);
    } finally {
      await apply([clusterRole]);
    }
    const ip = await addressOf('denied', 60_000);
    expect(inPool('default', ip), ip).toBe(true);
  }, 120_000);

  it('stayed up and hit no other authorization error', () => {
    expect(controller!.alive(), state()).toBe(true);
    const forbidden = controller!.log().split('\n').filter((l) => /forbidden/i.test(l) && !/services \\?"denied\\?" is forbidden/.test(l));
    expect(forbidden).toEqual([]);
  });
});
