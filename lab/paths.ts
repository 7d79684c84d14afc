import { join, resolve } from 'node:path';
import { goModules } from '../constructs/catalog';

/** The repository root. */
export const ROOT = resolve(__dirname, '..');

/**
 * The lab's fixed state folder: `down` finds everything here, also after a crash. Override with
 * FLEETNET_LAB_STATE (tests use their own).
 */
export function stateRoot(): string {
  return resolve(process.env.FLEETNET_LAB_STATE ?? join(ROOT, '.cache/lab'));
}

export const BIN = join(ROOT, '.cache/bin');
const k8s = goModules.kubernetes.version;
const ctd = goModules.containerd.version;

/** The programs the lab and the tests run, built into .cache/bin by tools/<name>/build.sh. */
export const binaries = {
  etcd: join(BIN, `etcd-${goModules.etcd.version}`),
  kubeApiserver: join(BIN, `kube-apiserver-${k8s}`),
  kubeControllerManager: join(BIN, `kube-controller-manager-${k8s}`),
  kubeScheduler: join(BIN, `kube-scheduler-${k8s}`),
  kubelet: join(BIN, `kubelet-${k8s}`),
  kubeProxy: join(BIN, `kube-proxy-${k8s}`),
  containerd: join(BIN, `containerd-${ctd}`),
  containerdShim: join(BIN, `containerd-shim-runc-v2-${ctd}`),
  ctr: join(BIN, `ctr-${ctd}`),
  coredns: join(BIN, 'coredns'),
  metallbController: join(BIN, `metallb-controller-${goModules.metallb.version}`),
  metallbSpeaker: join(BIN, `metallb-speaker-${goModules.metallb.version}`),
  externalDns: join(BIN, `external-dns-${goModules.externalDnsModule.version}`),
  cnitool: join(BIN, `cnitool-${goModules.cni.version}`),
} as const;

/** Which build script makes each binary, for error messages. */
export const buildScriptOf: Record<keyof typeof binaries, string> = {
  etcd: 'tools/controlplane/build.sh',
  kubeApiserver: 'tools/controlplane/build.sh',
  kubeControllerManager: 'tools/node/build.sh',
  kubeScheduler: 'tools/node/build.sh',
  kubelet: 'tools/node/build.sh',
  kubeProxy: 'tools/node/build.sh',
  containerd: 'tools/containerd/build.sh',
  containerdShim: 'tools/containerd/build.sh',
  ctr: 'tools/containerd/build.sh',
  coredns: 'images/coredns/build.sh',
  metallbController: 'tools/metallb/build.sh',
  metallbSpeaker: 'tools/metallb/build.sh',
  externalDns: 'tools/external-dns/build.sh',
  cnitool: 'tools/cni/build.sh',
};

/** Debian's CNI plugins (containernetworking-plugins). */
export const CNI_BIN_DIR = '/usr/lib/cni';

/** Names of everything one cluster of the lab creates on the host, derived from its slot. */
export function hostNames(cluster: string, slot: number) {
  return {
    netns: `fleetnet-lab-${cluster}`,
    /** The host end of the node's veth (the node end is eth0 in the netns). */
    hostVeth: `fl-lab-n${slot}`,
    cgroup: `fleetnet-lab-${cluster}`,
    dir: join(stateRoot(), cluster),
  };
}

/** The lab bridge every node and the host share. */
export const BRIDGE = 'fl-lab0';
