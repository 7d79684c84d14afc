import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { goModules } from '../../constructs/catalog';
import { METALLB_SYNC_WAVES } from '../../constructs/metallb/index';
import { contains, parsePoolAddresses } from '../../constructs/common/ip';
import { syncWaveOf } from '../../constructs/common/workload';
import { stackObjects } from '../../lab/controlplane/rendered';
import { ControlPlane, logTail, startControlPlane } from '../../lab/controlplane/control-plane';
import { formatApplyFailures, KubeClient, KubeObject } from '../../lab/controlplane/kube-client';
import { commandFromDeployment, METALLB_CONTROLLER_BINARY, startMetalLbProgram, waitForControllerConfigured } from '../../lab/metallb/controller-process';
import { RunningProgram, waitFor } from '../../lab/process';
import { l2X, metallbL2TestFleet } from './l2-test-fleet';

/**
 * The real MetalLB speaker (built from the catalog's Go module by tools/metallb/build.sh) announces our
 * pools in L2 mode, under OUR speaker ServiceAccount and with the command line of OUR DaemonSet: a
 * client in another network namespace asks by ARP for a Service's address and the speaker answers with
 * its node's MAC. The real controller (as in controller.test.ts) allocates the addresses.
 *
 * The network, all of it made here and removed in afterAll (and on exit):
 *
 *   root namespace                 netns fl-node                      netns fl-client
 *   kube-apiserver 127.0.0.1:P     speaker, controller
 *   TCP proxy 10.251.0.1:Q  <-- fl-api0 === veth-api 10.251.0.2/30
 *                                  eth0 10.250.0.2/24  ===========  eth0 10.250.0.3/24  (arping)
 *
 * - The pools are in 10.250.0.0/24 (l2-test-fleet.ts), on the fl-node <-> fl-client link only.
 * - The API server listens on 127.0.0.1 of the root namespace, which no other namespace reaches, so
 *   a small TCP proxy in this process forwards 10.251.0.1 (the root end of a veth into fl-node) to it.
 *   The kubeconfig keeps TLS verification on and names 127.0.0.1 (`tls-server-name`), the address the
 *   serving certificate is for.
 * - fl-node is the node: the speaker runs in its network namespace as in the host network of a node.
 *   Its API link is named `veth-api` on purpose: our DaemonSet's exclusion list (`^veth.*`) must keep
 *   the speaker from answering there; its LAN link is `eth0`, as a node's NIC would be.
 * - The test plays the kubelet for the speaker's two volumes: OUR excludel2 ConfigMap and the memberlist
 *   Secret the controller created are written at their mountPaths (/etc/metallb, /etc/ml_secret_key),
 *   which the speaker reads at fixed paths; a read-only overlay on /etc in the speaker's own mount
 *   namespace (`ip netns exec` gives it one) shows them there, and nothing is written to the host's /etc.
 * - Memberlist stays ON, as in the DaemonSet: it binds status.podIP (the node address 10.250.0.2 under
 *   host networking) inside fl-node; with one speaker the only member is itself. The Pod object of the
 *   speaker gets that podIP (the test plays the kubelet's status update), so the speaker finds itself
 *   by listing speaker Pods with our METALLB_ML_LABELS.
 * - The controller runs in fl-node too (its webhook port 9443 is compiled in, and controller.test.ts,
 *   which may run at the same time, holds it in the root namespace); its metrics and health ports are
 *   moved off the speaker's, as a Pod's own network namespace would keep them apart. The webhook
 *   configuration is not applied (controller.test.ts covers the webhooks).
 * - No kubelet, kube-proxy or endpoint controller: the test creates the Node, both Pods (from the
 *   templates) and each Service's EndpointSlice (one ready endpoint on fl-node). The speaker in L2 mode
 *   announces only Services with a ready endpoint.
 */

const NS = 'metallb-system';
const SVC_NS = 'lb-l2';
const NODE = 'fl-node';
const CLIENT = 'fl-client';
const NODE_IP = '10.250.0.2';
const CLIENT_IP = '10.250.0.3';
const API_ROOT_IP = '10.251.0.1';
const API_NODE_IP = '10.251.0.2';
const ROOT_API_LINK = 'fl-api0';
const NODE_API_LINK = 'veth-api';
const CONTROLLER_POD = 'metallb-controller-l2test';
const SPEAKER_POD = 'metallb-speaker-l2test';
const ARGO = 'argocd-controller';
/** A pool applied by hand, with no L2Advertisement: its addresses are handed out but never announced. */
const UNANNOUNCED = { name: 'unannounced', addresses: ['10.250.0.96/30'] };

const ROOT = resolve(__dirname, '../..');
const SPEAKER_BINARY = join(ROOT, '.cache/bin', `metallb-speaker-${goModules.metallb.version}`);
const IP_BINARY = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p)) ?? '/usr/sbin/ip';

const timings: Record<string, number> = {};
const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  const start = Date.now();
  try {
    return await f();
  } finally {
    timings[name] = Date.now() - start;
  }
};

// ---- network namespaces ----

const ip = (...args: string[]) => execFileSync(IP_BINARY, args, { stdio: 'pipe', timeout: 10_000 }).toString();
const netnsExists = (name: string) => ip('netns', 'list').split('\n').some((l) => l.split(' ')[0] === name);
function removeNetwork(): void {
  for (const ns of [NODE, CLIENT]) {
    try {
      if (netnsExists(ns)) ip('netns', 'del', ns); // takes the veths (and their root ends) with it
    } catch {
      /* already gone */
    }
  }
  try {
    ip('link', 'del', ROOT_API_LINK);
  } catch {
    /* gone with its peer */
  }
}
function createNetwork(): void {
  removeNetwork(); // leftovers of an interrupted run (the names are this test's own)
  ip('netns', 'add', NODE);
  ip('netns', 'add', CLIENT);
  // The LAN: a veth pair, one end in each namespace, both renamed eth0.
  ip('link', 'add', 'fl-lan-n', 'type', 'veth', 'peer', 'name', 'fl-lan-c');
  ip('link', 'set', 'fl-lan-n', 'netns', NODE);
  ip('link', 'set', 'fl-lan-c', 'netns', CLIENT);
  for (const [ns, link, addr] of [[NODE, 'fl-lan-n', NODE_IP], [CLIENT, 'fl-lan-c', CLIENT_IP]]) {
    ip('-n', ns, 'link', 'set', link, 'name', 'eth0');
    ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  // The API link: root namespace <-> fl-node.
  ip('link', 'add', ROOT_API_LINK, 'type', 'veth', 'peer', 'name', NODE_API_LINK, 'netns', NODE);
  try {
    execFileSync('sysctl', ['-q', '-w', `net.ipv6.conf.${ROOT_API_LINK}.disable_ipv6=1`], { stdio: 'pipe', timeout: 5000 });
  } catch {
    /* IPv6 router solicitations would stay on the veth anyway */
  }
  ip('addr', 'add', `${API_ROOT_IP}/30`, 'dev', ROOT_API_LINK);
  ip('link', 'set', ROOT_API_LINK, 'up');
  ip('-n', NODE, 'addr', 'add', `${API_NODE_IP}/30`, 'dev', NODE_API_LINK);
  ip('-n', NODE, 'link', 'set', NODE_API_LINK, 'up');
}
const macOf = (ns: string, link: string) => (JSON.parse(ip('-n', ns, '-j', 'link', 'show', link)) as { address: string }[])[0].address.toLowerCase();

/** Runs arping (bounded: `count` requests, `seconds` at most); the MACs that answered. */
function arping(target: string, options: { netns?: string; link: string; count?: number; seconds?: number }): Promise<{ macs: string[]; output: string }> {
  const args = ['-c', String(options.count ?? 1), '-w', String(options.seconds ?? 2), '-I', options.link, target];
  const [binary, argv] = options.netns ? [IP_BINARY, ['netns', 'exec', options.netns, 'arping', ...args]] : ['arping', args];
  return new Promise((res) => {
    execFile(binary, argv, { timeout: ((options.seconds ?? 2) + 5) * 1000 }, (_error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const macs = [...output.matchAll(/reply from [\d.]+ \[([0-9A-Fa-f:]{17})\]/g)].map((m) => m[1].toLowerCase());
      res({ macs, output });
    });
  });
}

/** A TCP proxy from `host`:<free port> to 127.0.0.1:`targetPort`; close() also ends open connections. */
async function startProxy(host: string, targetPort: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, host, () => res());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => new Promise<void>((res) => {
      for (const s of sockets) s.destroy();
      server.close(() => res());
    }),
  };
}

// ---- what we render ----

const renderedObjects = () => stackObjects(metallbL2TestFleet, l2X, 'metallb') as KubeObject[];
const inPool = (pool: string, addr: string) => l2X.loadBalancer.pools.find((p) => p.name === pool)!.addresses.some((a) => contains(parsePoolAddresses(a)!, addr));

type PodTemplate = { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & { containers: Container[]; volumes?: Volume[] } };
type Container = { args?: string[]; env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[]; volumeMounts?: { name: string; mountPath: string }[] };
type Volume = { name: string; secret?: { secretName: string }; configMap?: { name: string } };
const templateOf = (workload: KubeObject) => (workload.spec as { template: PodTemplate }).template;

/** The speaker's args and env exactly as OUR DaemonSet gives them, the downward API resolved for this node. */
function speakerCommand(daemonSet: KubeObject): { args: string[]; env: Record<string, string> } {
  const container = templateOf(daemonSet).spec.containers[0];
  const fields: Record<string, string> = { 'metadata.name': SPEAKER_POD, 'metadata.namespace': NS, 'spec.nodeName': NODE, 'status.podIP': NODE_IP };
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const path = e.valueFrom?.fieldRef?.fieldPath;
    if (path !== undefined && !(path in fields)) throw new Error(`speaker env ${e.name}: the test cannot resolve fieldRef ${path}`);
    env[e.name] = path !== undefined ? fields[path] : (e.value ?? '');
  }
  return { args: [...(container.args ?? [])], env };
}

describe('the real MetalLB speaker announces our L2 pools by ARP, under our RBAC', () => {
  let cp: ControlPlane | undefined;
  let admin: KubeClient;
  let proxy: { port: number; close: () => Promise<void> } | undefined;
  let controller: RunningProgram | undefined;
  let speaker: RunningProgram | undefined;
  let workDir: string;
  let nodeMac: string;
  let networkUp = false;
  const objects = renderedObjects();
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployment = byKind('Deployment')[0];
  const daemonSet = byKind('DaemonSet')[0];
  const cleanupOnExit = () => {
    if (networkUp) removeNetwork();
  };

  const apply = async (list: KubeObject[]) => {
    const results = await admin.serverSideApply(list, { fieldManager: ARGO });
    if (results.some((r) => !r.ok)) throw new Error(formatApplyFailures(results));
  };
  const state = () =>
    `speaker log (last lines):\n${speaker ? logTail(speaker.logFile, 25) : '(not started)'}\ncontroller log (last lines):\n${controller ? logTail(controller.logFile, 10) : '(not started)'}`;

  /** Runs `binary` in fl-node's network namespace; with `etc`, a read-only overlay of that folder on /etc first. */
  const startInNode = (name: string, binary: string, args: string[], env: Record<string, string>, etc?: string) => {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: run tools/metallb/build.sh (npm test runs it) to build MetalLB from the catalog's Go module`);
    const argv = etc
      ? ['netns', 'exec', NODE, 'sh', '-c', `mount -t overlay fl-etc -o 'lowerdir=${etc}:/etc' /etc && exec "$0" "$@"`, binary, ...args]
      : ['netns', 'exec', NODE, binary, ...args];
    return startMetalLbProgram(IP_BINARY, argv, env, join(workDir, `${name}.log`));
  };
  const writeKubeconfigVia = (path: string, token: string) => {
    const name = 'fleetnet-l2';
    const cluster = { server: `https://${API_ROOT_IP}:${proxy!.port}`, 'certificate-authority-data': Buffer.from(cp!.caPem).toString('base64'), 'tls-server-name': '127.0.0.1' };
    writeFileSync(path, stringify({
      apiVersion: 'v1', kind: 'Config', clusters: [{ name, cluster }], users: [{ name, user: { token } }],
      contexts: [{ name, context: { cluster: name, user: name } }], 'current-context': name,
    }), { mode: 0o600 });
  };

  type Svc = KubeObject & { status?: { loadBalancer?: { ingress?: { ip: string }[] } } };
  /** A LoadBalancer Service with one ready endpoint on fl-node (what the endpoint controller would write). */
  const createService = async (name: string, annotations: Record<string, string> = {}) => {
    await admin.create({
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: SVC_NS, annotations },
      spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });
    await admin.create({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: `${name}-l2test`, namespace: SVC_NS, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.10'], conditions: { ready: true, serving: true, terminating: false }, nodeName: NODE }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  };
  const addressOf = (name: string, timeoutMs = 20_000) =>
    waitFor(`an address in the status of Service ${SVC_NS}/${name}`, async () =>
      (await admin.get<Svc>('v1', 'Service', name, SVC_NS))?.status?.loadBalancer?.ingress?.[0]?.ip, { timeoutMs, state });
  /** Polls ARP from fl-client until someone answers (bounded). */
  const arpAnswer = (target: string, timeoutMs = 15_000) =>
    waitFor(`an ARP reply for ${target} on fl-client's eth0`, async () => {
      const r = await arping(target, { netns: CLIENT, link: 'eth0', count: 1, seconds: 1 });
      return r.macs.length > 0 ? r.macs : undefined;
    }, { timeoutMs, intervalMs: 100, state });
  type L2Status = KubeObject & { status?: { node?: string; serviceName?: string; serviceNamespace?: string; interfaces?: { name: string }[] } };
  const l2StatusesOf = async (name: string) =>
    (await admin.list<L2Status>('metallb.io/v1beta1', 'ServiceL2Status', NS)).filter((s) => s.metadata.labels?.['metallb.io/service-name'] === name);
  const eventsOf = async (name: string, reason: string) =>
    (await admin.list<KubeObject & { involvedObject: { name: string }; reason: string; type: string; message: string; source?: { component?: string } }>('v1', 'Event', SVC_NS))
      .filter((e) => e.involvedObject.name === name && e.reason === reason);

  beforeAll(async () => {
    if (!existsSync(SPEAKER_BINARY)) throw new Error(`${SPEAKER_BINARY} is missing: run tools/metallb/build.sh (npm test runs it)`);
    if (process.getuid?.() !== 0) throw new Error('this test creates network namespaces (ip netns) and mounts an overlay: run it as root');
    workDir = mkdtempSync(join(tmpdir(), 'fleetnet-metallb-l2-'));
    process.on('exit', cleanupOnExit);
    const [controlPlane] = await Promise.all([
      timed('control plane start', () => startControlPlane({ name: 'metallb-l2' })),
      timed('network namespaces', async () => {
        createNetwork();
        networkUp = true;
      }),
    ]);
    cp = controlPlane;
    nodeMac = macOf(NODE, 'eth0');
    proxy = await startProxy(API_ROOT_IP, Number(new URL(cp.url).port));
    admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });

    await timed('apply waves 0-2 (server-side, as Argo CD), Node and Pods', async () => {
      await apply(objects.filter((o) => syncWaveOf(o) === METALLB_SYNC_WAVES.crds));
      await admin.waitForCrdsEstablished(byKind('CustomResourceDefinition').map((c) => c.metadata.name!));
      await admin.refreshDiscovery();
      await apply(objects.filter((o) => syncWaveOf(o) === METALLB_SYNC_WAVES.components && o.kind !== 'ValidatingWebhookConfiguration'));
      await apply(objects.filter((o) => syncWaveOf(o) === METALLB_SYNC_WAVES.configuration));
      // A pool nobody advertises (not something our constructs can render: they pair every pool with its advertisement).
      await admin.create({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: UNANNOUNCED.name, namespace: NS }, spec: { addresses: UNANNOUNCED.addresses, autoAssign: false } });
      await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SVC_NS } });
      await admin.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: NODE, labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': NODE } } });
      const ct = templateOf(deployment);
      await admin.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: CONTROLLER_POD, namespace: NS, labels: ct.metadata.labels }, spec: ct.spec });
      // The speaker's Pod, bound to fl-node and (as the kubelet would report it) running with the node's address.
      const st = templateOf(daemonSet);
      await admin.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: SPEAKER_POD, namespace: NS, labels: st.metadata.labels }, spec: { ...st.spec, nodeName: NODE } });
      const pod = (await admin.get('v1', 'Pod', SPEAKER_POD, NS))!;
      await admin.expectOk('PUT', `/api/v1/namespaces/${NS}/pods/${SPEAKER_POD}/status`, {
        body: { ...pod, status: { phase: 'Running', hostIP: NODE_IP, hostIPs: [{ ip: NODE_IP }], podIP: NODE_IP, podIPs: [{ ip: NODE_IP }] } },
      });
    });

    // The controller, in fl-node, as in controller.test.ts (certificate folder played as a secret volume).
    const controllerToken = await admin.createToken(NS, 'metallb-controller');
    writeKubeconfigVia(join(workDir, 'controller.kubeconfig'), controllerToken);
    const certDir = join(workDir, 'k8s-webhook-server', 'serving-certs');
    mkdirSync(certDir, { recursive: true });
    const ctl = commandFromDeployment(deployment, { name: CONTROLLER_POD, namespace: NS }, { '--port': '19120', '--health-probe-port': '19472', '--cert-dir': certDir });
    const controllerStarted = Date.now();
    controller = startInNode('controller', METALLB_CONTROLLER_BINARY, ctl.args, { ...ctl.env, KUBECONFIG: join(workDir, 'controller.kubeconfig'), HOME: workDir, TMPDIR: workDir });
    await waitForControllerConfigured(admin, controller, { namespace: NS, certDir, state });
    timings['controller start to configuration loaded'] = Date.now() - controllerStarted;

    // Play the kubelet for the speaker's volumes: each one at its mountPath, under an overlay of /etc.
    const etc = join(workDir, 'speaker-etc');
    const st = templateOf(daemonSet);
    const volumes = new Map((st.spec.volumes ?? []).map((v) => [v.name, v]));
    for (const mount of st.spec.containers[0].volumeMounts ?? []) {
      if (!mount.mountPath.startsWith('/etc/')) throw new Error(`speaker volume ${mount.name} at ${mount.mountPath}: the test only projects volumes under /etc`);
      const volume = volumes.get(mount.name)!;
      const files = volume.secret
        ? await waitFor(`Secret ${volume.secret.secretName} (the controller creates it)`, async () => {
          const d = (await admin.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', volume.secret!.secretName, NS))?.data;
          return d ? Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Buffer.from(v, 'base64')])) : undefined;
        }, { timeoutMs: 20_000, state })
        : Object.fromEntries(Object.entries((await admin.get<KubeObject & { data?: Record<string, string> }>('v1', 'ConfigMap', volume.configMap!.name, NS))?.data ?? {}).map(([k, v]) => [k, Buffer.from(v)]));
      const dir = join(etc, mount.mountPath.slice('/etc/'.length));
      mkdirSync(dir, { recursive: true });
      for (const [key, value] of Object.entries(files)) writeFileSync(join(dir, key), value, { mode: 0o644 });
    }

    const speakerToken = await admin.createToken(NS, 'metallb-speaker');
    writeKubeconfigVia(join(workDir, 'speaker.kubeconfig'), speakerToken);
    const { args, env } = speakerCommand(daemonSet);
    const speakerStarted = Date.now();
    speaker = startInNode('speaker', SPEAKER_BINARY, args, { ...env, KUBECONFIG: join(workDir, 'speaker.kubeconfig'), HOME: workDir, TMPDIR: workDir }, etc);
    await waitFor(`the speaker to report its configuration (ConfigurationState "speaker-${NODE}")`, async () => {
      if (!speaker!.alive()) throw new Error('the speaker exited');
      return (await admin.get<KubeObject & { status?: { result?: string } }>('metallb.io/v1beta1', 'ConfigurationState', `speaker-${NODE}`, NS))?.status?.result === 'Valid' ? true : undefined;
    }, { timeoutMs: 30_000, state });
    timings['speaker start to configuration loaded'] = Date.now() - speakerStarted;
  }, 180_000);

  afterAll(async () => {
    await speaker?.stop();
    await controller?.stop();
    await proxy?.close();
    admin?.close();
    await cp?.stop();
    if (networkUp) removeNetwork();
    networkUp = false;
    process.removeListener('exit', cleanupOnExit);
    if (workDir && !process.env.FLEETNET_KEEP_CONTROLPLANE) rmSync(workDir, { recursive: true, force: true });
    console.log(`MetalLB speaker (L2) test timings (ms): ${JSON.stringify(timings)}`);
  }, 60_000);

  it('starts with our DaemonSet\'s command line, memberlist on, the exclusions of our ConfigMap read', () => {
    expect(speaker!.alive(), state()).toBe(true);
    const log = speaker!.log();
    expect(log).not.toMatch(/not starting fast dead node detection/);
    expect(log).toMatch(/created ARP responder for interface[^\n]*"eth0"|"interface":"eth0"[^\n]*created ARP responder/);
    expect(log).not.toMatch(new RegExp(`"interface":"${NODE_API_LINK}"[^\\n]*created ARP responder|created ARP responder[^\\n]*"${NODE_API_LINK}"`));
  });

  it('answers ARP for a Service\'s address with the node\'s MAC, and records it (event, ServiceL2Status)', async () => {
    const created = Date.now();
    await createService('web');
    const addr = await addressOf('web');
    expect(inPool('default', addr), addr).toBe(true);
    const macs = await arpAnswer(addr);
    timings['Service created to ARP answered'] = Date.now() - created;
    expect(new Set(macs)).toEqual(new Set([nodeMac]));

    const events = await waitFor('a nodeAssigned event from the speaker', async () => {
      const e = await eventsOf('web', 'nodeAssigned');
      return e.length > 0 ? e : undefined;
    }, { timeoutMs: 15_000, state });
    expect(events[0].source?.component).toBe('metallb-speaker');
    expect(events[0].message).toContain(NODE);
    const statuses = await waitFor('a ServiceL2Status for web', async () => {
      const s = await l2StatusesOf('web');
      return s.length > 0 && s[0].status?.node ? s : undefined;
    }, { timeoutMs: 15_000, state });
    expect(statuses).toHaveLength(1);
    expect(statuses[0].metadata.labels?.['metallb.io/node']).toBe(NODE);
    expect(statuses[0].status).toMatchObject({ node: NODE, serviceName: 'web', serviceNamespace: SVC_NS });
    // Our L2Advertisements name no interfaces (every interface the speaker does not exclude), which
    // MetalLB records as no interface list at all.
    expect(statuses[0].status!.interfaces ?? []).toEqual([]);
    expect((statuses[0].metadata.ownerReferences as { kind: string; name: string }[]).map((o) => [o.kind, o.name])).toEqual([['Pod', SPEAKER_POD]]);
  }, 45_000);

  it('a fixed address (our fixed pool) is announced too; an excluded interface (veth-api) never answers', async () => {
    await createService('gateway', { 'metallb.io/loadBalancerIPs': '10.250.0.81' });
    expect(await addressOf('gateway')).toBe('10.250.0.81');
    expect(new Set(await arpAnswer('10.250.0.81'))).toEqual(new Set([nodeMac]));
    // The same question from the root namespace over the API link reaches fl-node on veth-api, which our
    // exclusion list (^veth.*) removes from the speaker's interfaces; fl-node's kernel does not own the address.
    const excluded = await arping('10.250.0.81', { link: ROOT_API_LINK, count: 2, seconds: 2 });
    expect(excluded.macs, excluded.output).toEqual([]);
  }, 45_000);

  it('an address of a pool without an L2Advertisement is allocated but not announced', async () => {
    await createService('quiet', { 'metallb.io/address-pool': UNANNOUNCED.name });
    const addr = await addressOf('quiet');
    expect(contains(parsePoolAddresses(UNANNOUNCED.addresses[0])!, addr), addr).toBe(true);
    // A Service created after it, announced, shows the speaker has caught up with both.
    await createService('after-quiet');
    await arpAnswer(await addressOf('after-quiet'));
    const r = await arping(addr, { netns: CLIENT, link: 'eth0', count: 3, seconds: 3 });
    expect(r.macs, r.output).toEqual([]);
    expect(await l2StatusesOf('quiet')).toEqual([]);
    expect(await eventsOf('quiet', 'nodeAssigned')).toEqual([]);
  }, 45_000);

  it('a missing verb fails: without servicel2statuses create no ServiceL2Status is written, and with it back it is', async () => {
    const role = byKind('Role').find((r) => r.metadata.name === 'metallb-speaker')!;
    const rules = role.rules as { resources: string[]; verbs: string[] }[];
    const without = { ...role, rules: rules.filter((r) => !(r.resources.includes('servicel2statuses') && r.verbs.includes('create'))) };
    expect(without.rules).toHaveLength(rules.length - 1);
    await apply([without]);
    const subject = { user: `system:serviceaccount:${NS}:metallb-speaker`, groups: ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'] };
    await waitFor('the API server to stop authorizing servicel2statuses create', async () => {
      const r = await admin.accessReview({ verb: 'create', group: 'metallb.io', resource: 'servicel2statuses', namespace: NS }, subject);
      return r.allowed ? undefined : true;
    }, { timeoutMs: 10_000 });
    try {
      await createService('denied');
      await arpAnswer(await addressOf('denied'));
      await waitFor('the speaker to be refused', async () => (/servicel2statuses[^\n]*is forbidden/.test(speaker!.log()) ? true : undefined), { timeoutMs: 15_000, state });
      expect(await l2StatusesOf('denied')).toEqual([]);
    } finally {
      await apply([role]);
    }
    // Created, then its status patched (servicel2statuses/status): both allowed again.
    await waitFor('a ServiceL2Status for denied once the verb is back', async () => ((await l2StatusesOf('denied'))[0]?.status?.node === NODE ? true : undefined), { timeoutMs: 30_000, state });
  }, 60_000);

  it('stayed up and hit no other authorization error', () => {
    expect(speaker!.alive(), state()).toBe(true);
    expect(controller!.alive(), state()).toBe(true);
    const forbidden = speaker!.log().split('\n').filter((l) => /forbidden/i.test(l) && !/servicel2statuses/.test(l));
    expect(forbidden).toEqual([]);
    expect(controller!.log().split('\n').filter((l) => /forbidden/i.test(l))).toEqual([]);
  });
});
