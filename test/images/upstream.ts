import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { argoCdInstallManifest } from '../../bootstrap/argocd-manifest';
import { goModules, images, imageRef } from '../../constructs/catalog';

/** The optional Argo CD image: built only once tools/argocd/build.sh has built its binary. */
export const argocdRef = `quay.io/argoproj/argocd:${goModules.argocdModule.version}`;
export const argocdBuilt = existsSync(join(resolve(__dirname, '../..'), '.cache/bin', `argocd-${goModules.argocdModule.version}`));
/** The redis image Argo CD's install manifest names (tools/images/recipes/redis.sh reads it from there too). */
export const redisRef = [...new Set([...readFileSync(argoCdInstallManifest(), 'utf8').matchAll(/^\s+image: (\S+\/redis:\S+)$/gm)].map((m) => m[1]))].join(' ');
/** Every command upstream's Dockerfile links to /usr/local/bin/argocd. */
export const argocdCommands = ['server', 'repo-server', 'cmp-server', 'application-controller', 'dex', 'notifications', 'applicationset-controller', 'k8s-auth', 'commit-server'].map((c) => `argocd-${c}`);

/**
 * What each upstream image is, as far as a pod depends on it: the facts tools/images/README.md
 * records with their sources. The tests hold every locally built image to these.
 */
export interface UpstreamImage {
  /** Where the facts come from. */
  readonly source: string;
  readonly entrypoint?: string[];
  readonly cmd?: string[];
  /** Config User, verbatim. */
  readonly user?: string;
  readonly workingDir?: string;
  /** Env entries the image must carry, verbatim. */
  readonly env: string[];
  readonly exposedPorts?: string[];
  /** Paths that must exist in the image: mode (permission bits, with sticky etc.), owner and type. */
  readonly paths: Record<string, { mode?: number; uid?: number; gid?: number; type: 'file' | 'dir' | 'link' }>;
  /** File capabilities, as getcap prints them. */
  readonly capabilities?: Record<string, string>;
}

const distrolessPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const distrolessCerts = 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt';
/** gcr.io/distroless/static-debian12 (GoogleContainerTools/distroless static/static.bzl, common/BUILD.bazel). */
const distrolessPaths = {
  '/etc/passwd': { type: 'file', mode: 0o644, uid: 0 },
  '/etc/group': { type: 'file', mode: 0o644, uid: 0 },
  '/etc/nsswitch.conf': { type: 'file', mode: 0o644 },
  '/etc/ssl/certs/ca-certificates.crt': { type: 'file', mode: 0o644 },
  '/etc/services': { type: 'file' },
  '/usr/share/zoneinfo/Etc/UTC': { type: 'file' },
  '/tmp': { type: 'dir', mode: 0o1777, uid: 0 },
  '/root': { type: 'dir', mode: 0o700, uid: 0 },
  '/home/nonroot': { type: 'dir', mode: 0o700, uid: 65532, gid: 65532 },
} as const;

const all: Record<string, UpstreamImage> = {
  [imageRef(images.pause)]: {
    source: 'kubernetes build/pause/Dockerfile (k8s.io/kubernetes module at the catalog version)',
    entrypoint: ['/pause'],
    user: '65535:65535',
    env: [],
    paths: { '/pause': { type: 'file', mode: 0o755 } },
  },
  [imageRef(images.coredns)]: {
    source: 'images/coredns/Dockerfile (ours) on gcr.io/distroless/static-debian12:nonroot',
    entrypoint: ['/coredns'],
    user: '65532:65532',
    workingDir: '/home/nonroot',
    env: [distrolessPath, distrolessCerts],
    exposedPorts: ['1053/udp', '1053/tcp', '8080/tcp', '9153/tcp', '8181/tcp'],
    paths: { ...distrolessPaths, '/coredns': { type: 'file', mode: 0o755, uid: 0 }, '/coredns-netbind': { type: 'file', mode: 0o755, uid: 0 } },
    capabilities: { '/coredns-netbind': 'cap_net_bind_service=ep' },
  },
  [imageRef(images.metallbController)]: {
    source: 'go.universe.tf/metallb controller/Dockerfile on gcr.io/distroless/static (root variant)',
    entrypoint: ['/controller'],
    user: '0',
    workingDir: '/',
    env: [distrolessPath, distrolessCerts],
    paths: { ...distrolessPaths, '/controller': { type: 'file', mode: 0o755 }, '/LICENSE': { type: 'file' } },
  },
  [imageRef(images.metallbSpeaker)]: {
    source: 'go.universe.tf/metallb speaker/Dockerfile on gcr.io/distroless/static (root variant)',
    entrypoint: ['/speaker'],
    user: '0',
    workingDir: '/',
    env: [distrolessPath, distrolessCerts],
    paths: { ...distrolessPaths, '/speaker': { type: 'file', mode: 0o755 }, '/LICENSE': { type: 'file' } },
  },
  [imageRef(images.externalDns)]: {
    source: 'sigs.k8s.io/external-dns .ko.yaml + Makefile (ko build) and ko pkg/build/gobuild.go, base gcr.io/distroless/static-debian12:latest',
    entrypoint: ['/ko-app/external-dns'],
    user: '0',
    workingDir: '/',
    env: [`${distrolessPath}:/ko-app`, distrolessCerts, 'KO_DATA_PATH=/var/run/ko'],
    paths: { ...distrolessPaths, '/ko-app/external-dns': { type: 'file', mode: 0o555 }, '/ko-app': { type: 'dir', mode: 0o555 }, '/var/run/ko': { type: 'dir', mode: 0o555 } },
  },
  [imageRef(images.powerdns)]: {
    source: 'PowerDNS/pdns Dockerfile-auth and dockerdata/ at tag auth-4.9.17',
    entrypoint: ['/usr/bin/tini', '--', '/usr/local/sbin/pdns_server-startup'],
    user: 'pdns',
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    exposedPorts: ['53/udp', '53/tcp', '8081/tcp'],
    paths: {
      '/usr/bin/tini': { type: 'file', mode: 0o755 },
      '/usr/local/sbin/pdns_server': { type: 'file', mode: 0o755 },
      '/usr/local/sbin/pdns_server-startup': { type: 'file', mode: 0o755 },
      '/usr/local/bin/pdnsutil': { type: 'file', mode: 0o755 },
      '/usr/bin/sqlite3': { type: 'file', mode: 0o755 },
      '/usr/local/share/doc/pdns/schema.sqlite3.sql': { type: 'file' },
      '/etc/powerdns/pdns.conf': { type: 'file' },
      '/var/lib/powerdns/pdns.sqlite3': { type: 'file', uid: 953, gid: 953 },
      '/var/lib/powerdns': { type: 'dir', uid: 953, gid: 953 },
      '/var/run/pdns': { type: 'dir', uid: 953, gid: 953 },
      '/etc/powerdns/pdns.d': { type: 'dir', uid: 953, gid: 953 },
      '/etc/powerdns/templates.d': { type: 'dir', uid: 953, gid: 953 },
      '/tmp': { type: 'dir', mode: 0o1777 },
      '/bin/sh': { type: 'link' },
    },
  },
  [imageRef(images.busybox)]: {
    source: 'docker-library/busybox latest-1/glibc (1.37.0): image-config.json and Dockerfile.builder',
    cmd: ['sh'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    paths: {
      '/bin/busybox': { type: 'file', mode: 0o755 },
      '/bin/sh': { type: 'link' },
      '/usr/bin/env': { type: 'link' },
      '/etc/passwd': { type: 'file' },
      '/etc/group': { type: 'file' },
      '/tmp': { type: 'dir', mode: 0o1777 },
      '/root': { type: 'dir' },
    },
  },
};

all[argocdRef] = {
  source: 'github.com/argoproj/argo-cd/v3 Dockerfile (module at the catalog version): argocd-base and final stages',
  entrypoint: ['/usr/bin/tini', '--'],
  user: '999',
  workingDir: '/home/argocd',
  env: ['USER=argocd', 'ARGOCD_USER_ID=999', 'GRPC_ENABLE_TXT_SERVICE_CONFIG=false'],
  paths: {
    '/usr/local/bin/argocd': { type: 'file', mode: 0o755 },
    ...Object.fromEntries(argocdCommands.map((c) => [`/usr/local/bin/${c}`, { type: 'link' as const }])),
    '/usr/local/bin/git-verify-wrapper.sh': { type: 'file', mode: 0o755 },
    '/usr/local/bin/gpg-wrapper.sh': { type: 'file', mode: 0o755 },
    '/usr/local/bin/entrypoint.sh': { type: 'file', mode: 0o755 },
    '/usr/local/bin/uid_entrypoint.sh': { type: 'link' },
    '/usr/bin/git': { type: 'file', mode: 0o755 },
    '/usr/bin/tini': { type: 'file', mode: 0o755 },
    '/usr/bin/gpg': { type: 'file', mode: 0o755 },
    '/usr/bin/gpg-agent': { type: 'file', mode: 0o755 },
    '/bin/cp': { type: 'file', mode: 0o755 },
    '/bin/ln': { type: 'file', mode: 0o755 },
    '/home/argocd': { type: 'dir', mode: 0o775, uid: 999, gid: 0 },
    '/app/config/ssh/ssh_known_hosts': { type: 'file' },
    '/etc/ssh/ssh_known_hosts': { type: 'link' },
    '/app/config/gpg/keys': { type: 'dir', mode: 0o700, uid: 999 },
    '/app/config/tls': { type: 'dir' },
  },
};

all[redisRef] = {
  source: 'docker-library/redis, alpine variant (Dockerfile and docker-entrypoint.sh; the reference as Argo CD\'s install.yaml names it)',
  entrypoint: ['docker-entrypoint.sh'],
  cmd: ['redis-server'],
  workingDir: '/data',
  env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
  exposedPorts: ['6379/tcp'],
  paths: {
    '/usr/local/bin/redis-server': { type: 'file', mode: 0o755 },
    '/usr/local/bin/redis-cli': { type: 'file', mode: 0o755 },
    '/usr/local/bin/docker-entrypoint.sh': { type: 'file', mode: 0o755 },
    '/data': { type: 'dir', uid: 999, gid: 1000 },
    '/etc/passwd': { type: 'file' },
    '/bin/sh': { type: 'link' },
  },
};

/** The images the tests expect built now: every one above, Argo CD's only once its binary exists. */
export const upstream: Record<string, UpstreamImage> = Object.fromEntries(Object.entries(all).filter(([ref]) => ref !== argocdRef || argocdBuilt));
