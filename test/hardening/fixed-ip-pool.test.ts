/**
 * Fixed DNS addresses get a pool nobody is auto-assigned from, derived from the fleet: proven with the
 * real MetalLB controller under its own token. Its webhook is off here (not under test, and its fixed
 * port 9443 stays free for the MetalLB tests that run at the same time).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWaveOf } from '../../constructs/common/workload';
import { fixedServiceIps } from '../../fleet/cluster';
import { poolsWithReservedFixedIps } from '../../constructs/metallb/fixed-ip-pools';
import { fixedLoadBalancerIp, METALLB_SYNC_WAVES } from '../../constructs/metallb/index';
import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';
import { ControlPlane, logTail, startControlPlane } from '../../lab/controlplane/control-plane';
import { formatApplyFailures, KubeClient, KubeObject, writeKubeconfig } from '../../lab/controlplane/kube-client';
import { stackObjects } from '../../lab/controlplane/rendered';
import { commandFromDeployment, METALLB_CONTROLLER_BINARY, startMetalLbProgram } from '../../lab/metallb/controller-process';
import { freePort, RunningProgram, sleep, waitFor } from '../../lab/process';

const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const dns = { serviceIP: '10.96.0.10', upstreams: ['127.0.22.99'] };
const mgmt = cluster({
  name: 'fx-mgmt', tier: 'fx', role: 'management', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.23.0/30'] }] }, dns: { ...dns, authorityIP: '127.0.23.1' }, podNetwork,
});
/** Four addresses, auto-assigned, the gateway's among them. */
const workload = cluster({
  name: 'fx-x', tier: 'fx', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.22.0/30'] }] }, dns: { ...dns, gatewayIP: '127.0.22.1' }, podNetwork,
});
const fx = fleet({ domain: 'platform.test', tiers: [{ name: 'fx' }], git: { repoURL: 'https://git.example/fleetnet.git' }, clusters: [mgmt, workload] });
const GATEWAY_IP = workload.dns.gatewayIP!;
const NS = 'metallb-system';
const SVC_NS = 'fx-test';

describe('fixed addresses in an auto-assign pool', () => {
  let cp: ControlPlane;
  let admin: KubeClient;
  let controller: RunningProgram | undefined;
  let work: string;
  const objects = stackObjects(fx, workload, 'metallb') as KubeObject[];
  const state = () => `controller log:\n${controller ? logTail(controller.logFile, 25) : '(not started)'}`;
  type Svc = KubeObject & { status?: { loadBalancer?: { ingress?: { ip: string }[] } } };
  const createService = (name: string, annotations: Record<string, string> = {}) => admin.create<Svc>({
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: SVC_NS, annotations },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  });
  const addressOf = async (name: string) => (await admin.get<Svc>('v1', 'Service', name, SVC_NS))?.status?.loadBalancer?.ingress?.[0]?.ip;
  const apply = async (list: KubeObject[]) => {
    const results = await admin.serverSideApply(list, { fieldManager: 'argocd-controller' });
    if (results.some((r) => !r.ok)) throw new Error(formatApplyFailures(results));
  };
  const pools = () => objects.filter((o) => o.kind === 'IPAddressPool' || o.kind === 'L2Advertisement');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fleetnet-fixed-pool-'));
    cp = await startControlPlane({ name: 'fixed-pool' });
    admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    const vwc = objects.find((o) => o.kind === 'ValidatingWebhookConfiguration');
    await apply(objects.filter((o) => syncWaveOf(o) === METALLB_SYNC_WAVES.crds));
    await admin.waitForCrdsEstablished(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((c) => c.metadata.name!));
    await admin.refreshDiscovery();
    await apply(objects.filter((o) => syncWaveOf(o) === METALLB_SYNC_WAVES.components && o !== vwc));
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const template = (deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: unknown } }).template;
    await admin.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'metallb-controller-fx', namespace: NS, labels: template.metadata.labels }, spec: template.spec });
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SVC_NS } });
    const kubeconfig = join(work, 'kubeconfig');
    writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: await admin.createToken(NS, 'metallb-controller') });
    const { args, env } = commandFromDeployment(deployment, { name: 'metallb-controller-fx', namespace: NS }, {
      '--port': String(await freePort()), '--health-probe-port': String(await freePort()), '--webhook-mode': 'disabled', '--disable-cert-rotation': 'true',
    });
    controller = startMetalLbProgram(METALLB_CONTROLLER_BINARY, args, { ...env, KUBECONFIG: kubeconfig, HOME: work, TMPDIR: work }, join(work, 'controller.log'));
  }, 180_000);

  afterAll(async () => {
    await controller?.stop();
    admin?.close();
    await cp?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  /** Applies `poolObjects` as the only pools, waits until the controller took them. */
  async function usePools(poolObjects: KubeObject[]): Promise<void> {
    // A CRD just established may answer 429 for a moment while its storage initializes.
    const existing = await waitFor('the IPAddressPool API', () => admin.list('metallb.io/v1beta1', 'IPAddressPool', NS).catch(() => undefined), { timeoutMs: 20_000, state });
    for (const p of existing) await admin.request('DELETE', `/apis/metallb.io/v1beta1/namespaces/${NS}/ipaddresspools/${p.metadata.name}`);
    await apply(poolObjects);
    await waitFor('the controller to load the pools', async () =>
      (await admin.get<KubeObject & { status?: { result?: string } }>('metallb.io/v1beta1', 'ConfigurationState', 'controller', NS))?.status?.result === 'Valid' ? true : undefined, { timeoutMs: 30_000, state });
    await sleep(1000);
  }

  it('the fleet\'s pool is split: the gateway address alone in a pool without auto-assignment', () => {
    expect(poolsWithReservedFixedIps(workload, fixedServiceIps(workload))).toEqual([
      { name: 'default', addresses: ['127.0.22.0/32', '127.0.22.2-127.0.22.3'] },
      { name: 'default-fixed', addresses: ['127.0.22.1/32'], autoAssign: false },
    ]);
    expect(poolsWithReservedFixedIps(fx.cluster('fx-mgmt'), fixedServiceIps(fx.cluster('fx-mgmt'))).map((p) => p.name)).toEqual(['default', 'default-fixed']);
  });

  it('Services asking for nothing never get the gateway address, and the gateway gets it afterwards', async () => {
    await usePools(pools());
    for (const name of ['a', 'b', 'c', 'd']) await createService(name);
    const got = await Promise.all(['a', 'b', 'c'].map((n) => waitFor(`an address for ${n}`, () => addressOf(n), { timeoutMs: 20_000, state })));
    expect(got.sort()).toEqual(['127.0.22.0', '127.0.22.2', '127.0.22.3']);
    await sleep(2000);
    expect(await addressOf('d')).toBeUndefined(); // the pool is used up, the reserved address untouched
    await createService('gateway', fixedLoadBalancerIp(workload, GATEWAY_IP));
    expect(await waitFor('the gateway address', () => addressOf('gateway'), { timeoutMs: 20_000, state })).toBe(GATEWAY_IP);
  }, 90_000);

  it('control: with the pool as declared, Services asking for nothing take the gateway address and the gateway gets none', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'gateway']) await admin.request('DELETE', `/api/v1/namespaces/${SVC_NS}/services/${name}`);
    await waitFor('the Services to be gone', async () => ((await admin.list('v1', 'Service', SVC_NS)).length === 0 ? true : undefined), { timeoutMs: 20_000, state });
    const declared = pools().filter((o) => !o.metadata.name!.endsWith('-fixed')).map((o) => (o.kind === 'IPAddressPool' ? { ...o, spec: { ...(o.spec as object), addresses: ['127.0.22.0/30'] } } : o));
    await usePools(declared);
    for (const name of ['a', 'b', 'c', 'd']) await createService(name);
    const got = await Promise.all(['a', 'b', 'c', 'd'].map((n) => waitFor(`an address for ${n}`, () => addressOf(n), { timeoutMs: 20_000, state })));
    expect(got).toContain(GATEWAY_IP);
    await createService('gateway', fixedLoadBalancerIp(workload, GATEWAY_IP));
    await sleep(3000);
    expect(await addressOf('gateway')).toBeUndefined();
  }, 90_000);
});
