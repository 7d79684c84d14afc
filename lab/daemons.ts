import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { LabSlot } from './address-map';
import type { NodeSandbox } from './node-sandbox';
import { isCgroupV1 } from './node-sandbox';
import { binaries, buildScriptOf, CNI_BIN_DIR } from './paths';
import { kubeconfig, LabPki } from './pki';
import { sleep } from './system';
import { spawnInSandbox } from './node-sandbox';

/**
 * The programs of one lab cluster, all inside its node sandbox: etcd (loopback), kube-apiserver (on the
 * node address, advertised there, default lease endpoint reconciler so in-cluster clients reach it
 * through the `kubernetes` Service), kube-controller-manager, kube-scheduler, containerd (own root,
 * state and socket; restrict_oom_score_adj because this VM withholds CAP_SYS_RESOURCE), kubelet
 * (cgroupfs driver, its own cgroupRoot) and kube-proxy (iptables mode).
 */

export interface DaemonOptions {
  readonly slot: LabSlot;
  readonly node: string;
  readonly dir: string;
  readonly pki: LabPki;
  readonly sandbox: NodeSandbox;
  readonly clusterDns: string;
  readonly clusterDomain: string;
  readonly stubResolvers: readonly string[];
  /** The pause image containerd uses for sandboxes (tools/images). */
  readonly pauseImage: string;
}

export interface Daemons {
  readonly pids: Record<string, number>;
  readonly containerdSocket: string;
  readonly adminKubeconfig: string;
}

export function checkBinaries(): void {
  const missing = (Object.keys(binaries) as (keyof typeof binaries)[]).filter((k) => !existsSync(binaries[k]));
  if (missing.length) {
    const scripts = [...new Set(missing.map((k) => buildScriptOf[k]))];
    throw new Error(`lab: not built: ${missing.map((k) => binaries[k]).join(', ')}. Run ${scripts.map((s) => `bash ${s}`).join(' && ')} (npm test runs them all).`);
  }
}

function env(dir: string): NodeJS.ProcessEnv {
  const bin = join(dir, 'bin');
  return { PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: dir, GOMAXPROCS: process.env.GOMAXPROCS ?? '2' };
}

function get(url: string, caPem: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = request(url, { ca: caPem, headers: { authorization: `Bearer ${token}` }, timeout: 3000 }, (r) => {
      let body = '';
      r.on('data', (c) => (body += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', rej);
    req.end();
  });
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, hint: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < deadline && i < 10_000; i++) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    await sleep(250);
  }
  throw new Error(`lab: ${what} not ready after ${timeoutMs / 1000}s; ${hint}`);
}

export async function startDaemons(o: DaemonOptions, log: (line: string) => void): Promise<Daemons> {
  const { dir, pki, slot, sandbox } = o;
  const logs = join(dir, 'logs');
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  // containerd finds its shim and runc on PATH by these names.
  const link = (target: string, name: string) => existsSync(join(bin, name)) || symlinkSync(target, join(bin, name));
  link(binaries.containerdShim, 'containerd-shim-runc-v2');
  link(binaries.ctr, 'ctr');
  const e = env(dir);
  const pids: Record<string, number> = {};
  const server = `https://${slot.nodeIP}:${slot.apiServerPort}`;
  const kc = (name: string, token: string) => {
    const file = join(dir, 'kubeconfigs', `${name}.yaml`);
    mkdirSync(join(dir, 'kubeconfigs'), { recursive: true });
    writeFileSync(file, kubeconfig({ name: `lab-${slot.cluster}`, server, caPem: pki.caPem, token }), { mode: 0o600 });
    return file;
  };
  const start = (name: string, argv: string[]) => {
    pids[name] = spawnInSandbox(sandbox, argv, join(logs, `${name}.log`), e);
  };
  const t0 = Date.now();
  const took = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

  // ---- etcd + kube-apiserver ----
  start('etcd', [binaries.etcd, '--name=lab', `--data-dir=${join(dir, 'etcd')}`, '--listen-client-urls=http://127.0.0.1:2379',
    '--advertise-client-urls=http://127.0.0.1:2379', '--listen-peer-urls=http://127.0.0.1:2380', '--initial-advertise-peer-urls=http://127.0.0.1:2380',
    '--initial-cluster=lab=http://127.0.0.1:2380', '--unsafe-no-fsync', '--log-level=warn', '--listen-metrics-urls=']);
  const serviceRange = slot.serviceCidr;
  start('kube-apiserver', [binaries.kubeApiserver, '--etcd-servers=http://127.0.0.1:2379', `--bind-address=${slot.nodeIP}`, `--advertise-address=${slot.nodeIP}`,
    `--secure-port=${slot.apiServerPort}`, `--cert-dir=${join(dir, 'apiserver-certs')}`, `--tls-cert-file=${pki.apiserverCert}`, `--tls-private-key-file=${pki.apiserverKey}`,
    `--client-ca-file=${pki.ca}`, `--token-auth-file=${pki.tokensFile}`, '--authorization-mode=Node,RBAC',
    // The node's address, never its name: a name would be looked up in the host's resolver.
    '--kubelet-preferred-address-types=InternalIP',
    `--kubelet-client-certificate=${pki.kubeletClientCert}`, `--kubelet-client-key=${pki.kubeletClientKey}`,
    `--service-account-issuer=https://kubernetes.default.svc.${o.clusterDomain}`, `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`, `--service-cluster-ip-range=${serviceRange}`, '--allow-privileged=true', '--profiling=false', '--v=1']);
  const admin = kc('admin', pki.tokens.admin);
  await waitFor('kube-apiserver', 120_000, async () => (await get(`${server}/readyz`, pki.caPem, pki.tokens.admin)).status === 200,
    `see ${join(logs, 'kube-apiserver.log')} and ${join(logs, 'etcd.log')}`);
  log(`control plane: etcd, kube-apiserver ${server} ready (${took()})`);

  // ---- controllers ----
  start('kube-controller-manager', [binaries.kubeControllerManager, `--kubeconfig=${kc('controller-manager', pki.tokens.controllerManager)}`,
    `--authentication-kubeconfig=${kc('controller-manager', pki.tokens.controllerManager)}`, `--authorization-kubeconfig=${kc('controller-manager', pki.tokens.controllerManager)}`,
    `--service-account-private-key-file=${pki.saKey}`, `--root-ca-file=${pki.ca}`, '--use-service-account-credentials=true',
    `--service-cluster-ip-range=${serviceRange}`, '--allocate-node-cidrs=false', '--leader-elect=false', '--bind-address=127.0.0.1', '--v=1']);
  const sched = kc('scheduler', pki.tokens.scheduler);
  start('kube-scheduler', [binaries.kubeScheduler, `--kubeconfig=${sched}`, `--authentication-kubeconfig=${sched}`, `--authorization-kubeconfig=${sched}`,
    '--leader-elect=false', '--bind-address=127.0.0.1', '--v=1']);

  // ---- containerd ----
  const ctd = join(dir, 'containerd');
  const socket = join(ctd, 'containerd.sock');
  mkdirSync(ctd, { recursive: true });
  writeFileSync(join(ctd, 'config.toml'), [
    '# Written by lab/daemons.ts: this lab node\'s own containerd (root, state, socket), CRI for kubelet.',
    'version = 3',
    `root = '${join(ctd, 'root')}'`,
    `state = '${join(ctd, 'state')}'`,
    'imports = []',
    '[grpc]',
    `  address = '${socket}'`,
    '[ttrpc]',
    `  address = '${socket}.ttrpc'`,
    '[plugins]',
    "  [plugins.'io.containerd.internal.v1.opt']",
    `    path = '${join(ctd, 'opt')}'`,
    "  [plugins.'io.containerd.cri.v1.images']",
    "    snapshotter = 'overlayfs'",
    "    [plugins.'io.containerd.cri.v1.images'.pinned_images]",
    `      sandbox = '${o.pauseImage}'`,
    "  [plugins.'io.containerd.cri.v1.runtime']",
    '    # This VM withholds CAP_SYS_RESOURCE: runc cannot lower oom_score_adj below its own.',
    '    restrict_oom_score_adj = true',
    '    netns_mounts_under_state_dir = true',
    "    cdi_spec_dirs = []",
    "    [plugins.'io.containerd.cri.v1.runtime'.cni]",
    `      bin_dirs = ['${CNI_BIN_DIR}']`,
    "      conf_dir = '/etc/cni/net.d'",
    "  [plugins.'io.containerd.grpc.v1.cri']",
    "    stream_server_address = '127.0.0.1'",
    '',
  ].join('\n'));
  start('containerd', [binaries.containerd, '--config', join(ctd, 'config.toml')]);
  await waitFor('containerd', 30_000, async () => existsSync(socket), `see ${join(logs, 'containerd.log')}`);
  log(`node: containerd ${socket} (${took()})`);

  // ---- kubelet ----
  const kl = join(dir, 'kubelet');
  mkdirSync(kl, { recursive: true });
  writeFileSync(join(kl, 'resolv.conf'), o.stubResolvers.map((r) => `nameserver ${r}`).join('\n') + '\n');
  writeFileSync(join(kl, 'config.yaml'), [
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'kind: KubeletConfiguration',
    'cgroupDriver: cgroupfs',
    `cgroupRoot: ${sandbox.cgroupRoot}`,
    // kubelet 1.36 refuses cgroup v1 unless told otherwise; this host is v1.
    ...(isCgroupV1() ? ['failCgroupV1: false'] : []),
    `containerRuntimeEndpoint: unix://${socket}`,
    `address: ${slot.nodeIP}`,
    'port: 10250',
    'readOnlyPort: 0',
    'healthzBindAddress: 127.0.0.1',
    `clusterDNS: [${o.clusterDns}]`,
    `clusterDomain: ${o.clusterDomain}`,
    `resolvConf: ${join(kl, 'resolv.conf')}`,
    `tlsCertFile: ${pki.kubeletServingCert}`,
    `tlsPrivateKeyFile: ${pki.kubeletServingKey}`,
    'authentication:',
    '  anonymous: {enabled: false}',
    '  webhook: {enabled: true}',
    `  x509: {clientCAFile: ${pki.ca}}`,
    'authorization: {mode: Webhook}',
    `podLogsDir: ${join(dir, 'pod-logs')}`,
    'failSwapOn: false',
    // A shared disk: evict only when it is really full.
    'evictionHard: {memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}',
    'imageGCHighThresholdPercent: 99',
    'imageGCLowThresholdPercent: 98',
    'serializeImagePulls: false',
    // Mounted Secrets and ConfigMaps follow their objects within ~15 s instead of ~1 min (the MetalLB
    // webhook certificate, a Corefile committed to Git): a shorter wait, the same behaviour.
    'syncFrequency: 15s',
    '',
  ].join('\n'));
  start('kubelet', [binaries.kubelet, `--config=${join(kl, 'config.yaml')}`, `--kubeconfig=${kc('kubelet', pki.tokens.kubelet)}`, `--root-dir=${join(kl, 'root')}`,
    `--cert-dir=${join(kl, 'pki')}`, `--hostname-override=${o.node}`, `--node-ip=${slot.nodeIP}`, '--v=1']);

  // ---- kube-proxy ----
  writeFileSync(join(dir, 'kube-proxy.yaml'), [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'kind: KubeProxyConfiguration',
    `clientConnection: {kubeconfig: ${kc('kube-proxy', pki.tokens.proxy)}}`,
    'mode: iptables',
    `clusterCIDR: ${slot.podCidr}`,
    `hostnameOverride: ${o.node}`,
    'healthzBindAddress: 127.0.0.1:10256',
    'metricsBindAddress: 127.0.0.1:10249',
    // Leave the host-wide conntrack settings alone.
    'conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}',
    '',
  ].join('\n'));
  // FLEETNET_LAB_KUBE_PROXY_V raises its log level (4 logs every rules sync and conntrack cleanup) to line its changes up with a test's.
  start('kube-proxy', [binaries.kubeProxy, `--config=${join(dir, 'kube-proxy.yaml')}`, `--v=${process.env.FLEETNET_LAB_KUBE_PROXY_V ?? '1'}`]);

  await waitFor(`node ${o.node}`, 90_000, async () => (await get(`${server}/api/v1/nodes/${o.node}`, pki.caPem, pki.tokens.admin)).status === 200,
    `see ${join(logs, 'kubelet.log')}`);
  log(`node: kubelet registered ${o.node}, kube-proxy, kube-controller-manager, kube-scheduler (${took()})`);
  writeFileSync(join(dir, 'pids.json'), `${JSON.stringify(pids, null, 2)}\n`);
  return { pids, containerdSocket: socket, adminKubeconfig: admin };
}
