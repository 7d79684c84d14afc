import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goModules, images, imageRef } from '../../constructs/catalog';
import { builtImages } from './built';

/**
 * The tarballs as a node uses them: imported into a real containerd (our build, catalog version) in the
 * CRI's namespace, listed under exactly the manifests' references, unpacked by containerd's overlayfs
 * snapshotter, and run by runc from the image config (entrypoint, user). This containerd is private
 * (its own root, state and socket in a temp folder, CRI off); each container gets its own empty
 * network namespace, and a cgroup under one parent the test removes afterwards.
 */

const root = resolve(__dirname, '../..');
const version = goModules.containerd.version;
const bin = (name: string) => join(root, '.cache/bin', `${name}-${version}`);
const work = mkdtempSync(join(tmpdir(), 'fleetnet-images-ctd-'));
const socket = join(work, 'containerd.sock');
const cgroupParent = `fleetnet-images-test-${process.pid}`;
let containerd: ChildProcess | undefined;
let built: Map<string, string>;
let log = '';

function ctr(args: string[], timeoutMs = 60_000) {
  const run = spawnSync(bin('ctr'), ['--address', socket, '-n', 'k8s.io', ...args], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

beforeAll(async () => {
  for (const p of ['containerd', 'ctr', 'containerd-shim-runc-v2']) {
    if (!existsSync(bin(p))) throw new Error(`${bin(p)} is missing: run tools/containerd/build.sh`);
  }
  const path = join(work, 'bin');
  mkdirSync(path);
  // containerd finds its shim by name on PATH.
  symlinkSync(bin('containerd-shim-runc-v2'), join(path, 'containerd-shim-runc-v2'));
  writeFileSync(join(work, 'config.toml'), [
    'version = 3',
    `root = '${join(work, 'root')}'`,
    `state = '${join(work, 'state')}'`,
    "disabled_plugins = ['io.containerd.grpc.v1.cri', 'io.containerd.cri.v1.images', 'io.containerd.cri.v1.runtime']",
    '[grpc]',
    `  address = '${socket}'`,
    '[ttrpc]',
    `  address = '${socket}.ttrpc'`,
    "[plugins.'io.containerd.internal.v1.opt']",
    `  path = '${join(work, 'opt')}'`,
    '',
  ].join('\n'));
  containerd = spawn(bin('containerd'), ['--config', join(work, 'config.toml')], { env: { PATH: `${path}:/usr/sbin:/usr/bin:/sbin:/bin` }, stdio: ['ignore', 'pipe', 'pipe'] });
  containerd.stdout!.on('data', (d) => (log += d));
  containerd.stderr!.on('data', (d) => (log += d));
  for (let i = 0; i < 100 && ctr(['version'], 5000).status !== 0; i++) await new Promise((r) => setTimeout(r, 100));
  if (ctr(['version'], 5000).status !== 0) throw new Error(`containerd did not start:\n${log.slice(-3000)}`);
  built = await builtImages();
  for (const tar of built.values()) {
    const r = ctr(['images', 'import', tar], 300_000);
    if (r.status !== 0) throw new Error(`ctr images import ${tar}: ${r.out}`);
  }
}, 1_500_000);

afterAll(async () => {
  ctr(['tasks', 'ls', '-q']).out.split('\n').filter(Boolean).forEach((id) => ctr(['tasks', 'kill', '-s', 'SIGKILL', id]));
  await new Promise((r) => setTimeout(r, 300));
  ctr(['containers', 'ls', '-q']).out.split('\n').filter(Boolean).forEach((id) => ctr(['tasks', 'delete', '-f', id]) && ctr(['containers', 'delete', id]));
  containerd?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  containerd?.kill('SIGKILL');
  // Whatever containerd left mounted under its root, and the cgroups of the containers.
  const mounts = spawnSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' }).stdout.split('\n').filter((m) => m.startsWith(work)).reverse();
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  for (const hierarchy of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    const parent = join('/sys/fs/cgroup', hierarchy, cgroupParent);
    if (!existsSync(parent)) continue;
    for (const child of readdirSync(parent, { withFileTypes: true }).filter((d) => d.isDirectory())) rmdirSync(join(parent, child.name));
    rmdirSync(parent);
  }
  rmSync(work, { recursive: true, force: true });
});

let n = 0;
/** Runs a container of ref to completion (ctr run --rm), optionally replacing its process args. */
function runImage(ref: string, args: string[] = [], extra: string[] = []) {
  const id = `t${++n}`;
  return ctr(['run', '--rm', '--cgroup', `/${cgroupParent}/${id}`, ...extra, ref, id, ...args], 60_000);
}

describe('containerd v2, importing the tarballs', () => {
  it('lists every image under exactly the reference the manifests use', () => {
    const listed = ctr(['images', 'ls', '-q']).out.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const ref of built.keys()) expect(listed, ref).toContain(ref);
  });

  it('runs the pause image from its config: /pause as uid 65535, up until SIGTERM, then exit 0', async () => {
    const ref = imageRef(images.pause);
    const id = 'pause';
    const started = ctr(['run', '-d', '--cgroup', `/${cgroupParent}/${id}`, ref, id]);
    expect(started.status, started.out).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    const tasks = ctr(['tasks', 'ls']).out;
    expect(tasks).toMatch(new RegExp(`^${id}\\s+\\d+\\s+RUNNING`, 'm'));
    const pid = Number(new RegExp(`^${id}\\s+(\\d+)`, 'm').exec(tasks)![1]);
    const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
    expect(status).toMatch(/Uid:\s+65535\s/);
    expect(spawnSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' }).stdout).toBe('/pause\0');
    ctr(['tasks', 'kill', '-s', 'SIGTERM', id]);
    let exit = '';
    for (let i = 0; i < 50 && !/STOPPED/.test(exit); i++) {
      await new Promise((r) => setTimeout(r, 100));
      exit = ctr(['tasks', 'ls']).out;
    }
    expect(exit).toMatch(new RegExp(`^${id}\\s+\\d+\\s+STOPPED`, 'm'));
    // ctr warns "exit with non-zero exit code N" when a task it deletes did not exit 0.
    const deleted = ctr(['tasks', 'delete', id]);
    expect(deleted.status, deleted.out).toBe(0);
    expect(deleted.out).not.toMatch(/non-zero exit code/);
    expect(ctr(['containers', 'delete', id]).status).toBe(0);
  });

  it.each([
    [imageRef(images.coredns), ['/coredns', '-version'], `CoreDNS-${images.coredns.version.split('-')[0]}`],
    [imageRef(images.externalDns), ['/ko-app/external-dns', '--version'], images.externalDns.version],
    [imageRef(images.metallbController), ['/controller', '--help'], '-webhook-secret string'],
    [imageRef(images.metallbSpeaker), ['/speaker', '--help'], '-health-probe-port int'],
    [imageRef(images.powerdns), ['/usr/bin/tini', '--', '/usr/local/sbin/pdns_server-startup', '--version'], 'PowerDNS Authoritative Server'],
    [imageRef(images.busybox), ['sh', '-c', 'id -u; cat /etc/passwd | head -n1'], 'root:x:0:0'],
  ])('%s runs %j after containerd unpacked it', (ref, args, expected) => {
    const r = runImage(ref, args);
    expect(r.out).toContain(expected);
  });

  it('keeps the file capability through containerd\'s unpack: /coredns-netbind binds port 53 as uid 65532, /coredns cannot', async () => {
    const ref = imageRef(images.coredns);
    const conf = join(work, 'corefile');
    mkdirSync(conf);
    writeFileSync(join(conf, 'Corefile'), '.:53 {\n  template IN A probe.example {\n    answer "{{ .Name }} 60 IN A 127.0.0.9"\n  }\n}\n');
    const mount = ['--mount', `type=bind,src=${conf},dst=/etc/coredns,options=rbind:ro`];
    const args = ['-conf', '/etc/coredns/Corefile'];
    const plain = runImage(ref, ['/coredns', ...args], mount);
    expect(plain.out).toMatch(/listen (tcp|udp) :53: bind: permission denied/);

    const id = 'netbind';
    const started = ctr(['run', '-d', '--cgroup', `/${cgroupParent}/${id}`, ...mount, ref, id, '/coredns-netbind', ...args]);
    expect(started.status, started.out).toBe(0);
    let tasks = '';
    let udp = '';
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      tasks = ctr(['tasks', 'ls']).out;
      const pid = new RegExp(`^${id}\\s+(\\d+)\\s+RUNNING`, 'm').exec(tasks)?.[1];
      udp = pid ? spawnSync('cat', [`/proc/${pid}/net/udp`, `/proc/${pid}/net/udp6`, `/proc/${pid}/status`], { encoding: 'utf8' }).stdout : '';
      if (/:0035 /.test(udp)) break;
    }
    ctr(['tasks', 'kill', '-s', 'SIGKILL', id]);
    await new Promise((r) => setTimeout(r, 300));
    ctr(['tasks', 'delete', '-f', id]);
    ctr(['containers', 'delete', id]);
    expect(tasks).toMatch(new RegExp(`^${id}\\s+\\d+\\s+RUNNING`, 'm'));
    // A socket on port 53 (0x0035) in the container's own network namespace, held by uid 65532.
    expect(udp).toMatch(/:0035 /);
    expect(udp).toMatch(/Uid:\s+65532\s/);
  });
});
