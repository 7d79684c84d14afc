import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { images, imageRef } from '../../constructs/catalog';
import { loadChartsOut } from '../manifests/load';
import { resolveUser, unpackBuiltImages, type UnpackedImage } from './built';
import { argocdBuilt, argocdCommands, argocdRef, redisRef } from './upstream';

/**
 * Each image's programs, run from its own unpacked layers (chroot into the layers, as the image's
 * user, in a fresh network namespace that has only its own loopback, so nothing leaves the
 * machine), with the commands, arguments and files the synthesized manifests give them.
 */

const root = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fleetnet-image-run-'));
let unpacked: Map<string, UnpackedImage>;
let built: Map<string, string>;
beforeAll(async () => {
  ({ built, unpacked } = await unpackBuiltImages(work));
}, 1_500_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const image = (ref: string) => {
  const i = unpacked.get(ref);
  if (!i) throw new Error(`${ref} was not built`);
  return i;
};
const userOf = (i: UnpackedImage) => {
  const { uid, gid } = resolveUser(i);
  return `${uid}:${gid}`;
};

/**
 * Runs argv inside the image (chroot, as user) with the host's /dev bound in, as a runtime gives a
 * container one, in new network and mount namespaces (the bind ends with them); bounded in time.
 */
function inImage(i: UnpackedImage, argv: string[], options: { user?: string; env?: Record<string, string>; timeoutMs?: number } = {}) {
  const env = options.env ?? Object.fromEntries((i.config.config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  mkdirSync(join(i.rootfs, 'dev'), { recursive: true });
  const script = 'r=$1 u=$2; shift 2; mount --rbind /dev "$r/dev" && exec chroot --userspec="$u" "$r" "$@"';
  const run = spawnSync('unshare', ['--net', '--mount', '/bin/sh', '-c', script, 'sh', i.rootfs, options.user ?? userOf(i), ...argv], { env: { ...env, PATH: env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' }, encoding: 'utf8', timeout: options.timeoutMs ?? 20_000, killSignal: 'SIGKILL' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** Runs a bash script in a new network namespace with loopback up (host tools: dig, chroot). */
function inNetns(script: string, timeoutMs = 60_000) {
  const run = spawnSync('unshare', ['--net', 'bash', '-euo', 'pipefail', '-c', `ip link set lo up\n${script}`], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

type Container = { name: string; image: string; command?: string[]; args?: string[]; env?: { name: string; value?: string }[]; readinessProbe?: { exec?: { command: string[] } }; livenessProbe?: { exec?: { command: string[] } } };
function podOf(cluster: string, stack: string, kind: string) {
  const o = loadChartsOut(join(root, 'charts-out')).find((x) => x.cluster === cluster && x.stack === stack && x.object.kind === kind);
  if (!o) throw new Error(`charts-out/${cluster}/${stack} has no ${kind}: run npm run synth`);
  const spec = (o.object.spec as { template: { spec: { containers: Container[]; initContainers?: Container[] } } }).template.spec;
  return { file: o.file, containers: spec.containers, init: spec.initContainers ?? [] };
}
function configMap(cluster: string, stack: string, name: string): Record<string, string> {
  const o = loadChartsOut(join(root, 'charts-out')).find((x) => x.cluster === cluster && x.stack === stack && x.object.kind === 'ConfigMap' && x.object.metadata.name === name);
  if (!o) throw new Error(`charts-out/${cluster}/${stack} has no ConfigMap ${name}`);
  return o.object.data as Record<string, string>;
}

describe(imageRef(images.pause), () => {
  const ref = imageRef(images.pause);
  it('/pause -v prints its version, as uid 65535', () => {
    const r = inImage(image(ref), ['/pause', '-v']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(images.pause.version);
  });

  it('/pause stays up and exits 0 on SIGTERM', async () => {
    const i = image(ref);
    const p = spawn('chroot', [`--userspec=${userOf(i)}`, i.rootfs, '/pause'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    await new Promise((r) => setTimeout(r, 500));
    expect(p.exitCode, err).toBeNull();
    const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
    p.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]);
    if (code === 'still running') p.kill('SIGKILL');
    expect(code, err).toBe(0);
  });
});

describe(imageRef(images.coredns), () => {
  const ref = imageRef(images.coredns);
  it('/coredns -version is the CoreDNS release the catalog tag is cut from, as uid 65532', () => {
    const r = inImage(image(ref), ['/coredns', '-version']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(`CoreDNS-${images.coredns.version.split('-')[0]}`);
  });

  it('/coredns-netbind binds port 53 as uid 65532 through its file capability; /coredns cannot', () => {
    const i = image(ref);
    // Our build has no whoami plugin; template answers one name.
    writeFileSync(join(i.rootfs, 'tmp/Corefile'), '.:53 {\n  bind 127.0.0.1\n  template IN A probe.example {\n    answer "{{ .Name }} 60 IN A 127.0.0.9"\n  }\n}\n');
    const serve = (binary: string) =>
      inNetns(`chroot --userspec=65532:65532 ${i.rootfs} ${binary} -conf /tmp/Corefile >${work}/netbind.log 2>&1 &
pid=$!
for _ in $(seq 1 50); do dig @127.0.0.1 -p 53 probe.example A +tries=1 +time=1 +short | grep -q . && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
echo "answer: $(dig @127.0.0.1 -p 53 probe.example A +tries=1 +time=1 +short)"
kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
cat ${work}/netbind.log`);
    const netbind = serve('/coredns-netbind');
    expect(netbind.out).toContain('answer: 127.0.0.9');
    const plain = serve('/coredns');
    expect(plain.out).not.toContain('answer: 127.0.0.9');
    expect(plain.out).toMatch(/listen (tcp|udp) 127\.0\.0\.1:53: bind: permission denied/);
  });
});

describe.each([
  [imageRef(images.metallbController), '/controller'],
  [imageRef(images.metallbSpeaker), '/speaker'],
])('%s', (ref, entrypoint) => {
  it(`${entrypoint} starts and lists the flags the manifests pass`, () => {
    const i = image(ref);
    const r = inImage(i, [entrypoint, '--help']);
    // Go's flag package lists each flag as `  -name type`; these are the ones the manifests pass.
    for (const flag of ['port', 'log-level', 'health-probe-port']) expect(r.out, r.out).toMatch(new RegExp(`^\\s+--?${flag} \\w+$`, 'm'));
  });
});

describe(imageRef(images.externalDns), () => {
  it('/ko-app/external-dns --version is the catalog version', () => {
    const r = inImage(image(imageRef(images.externalDns)), ['/ko-app/external-dns', '--version'], { user: '65532:65532' });
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(images.externalDns.version);
  });
});

describe(imageRef(images.powerdns), () => {
  const ref = imageRef(images.powerdns);
  const { file, containers, init } = podOf('prod-y', 'powerdns', 'Deployment');
  const loadZones = init.find((c) => c.name === 'load-zones')!;
  const pdns = containers.find((c) => c.image === ref)!;
  const config = configMap('prod-y', 'powerdns', 'powerdns-config');
  const zones = configMap('prod-y', 'powerdns', 'powerdns-zones');

  it('its entrypoint (tini, then the startup script) runs pdns_server, as user pdns (953)', () => {
    const i = image(ref);
    expect(userOf(i)).toBe('953:953');
    const r = inImage(i, [...i.config.config.Entrypoint!, '--version']);
    expect(r.out).toMatch(/PowerDNS Authoritative Server \d+\.\d+\.\d+/);
  });

  it(`runs the load-zones init container and serves the zones with the command of ${file}`, () => {
    const i = image(ref);
    // The pod's volumes, inside the unpacked image (it is ours to write).
    const dirOf = (mount: string) => join(i.rootfs, mount);
    for (const [mount, data] of [['/etc/powerdns/fleetnet', config], ['/etc/powerdns/zones', zones]] as const) {
      mkdirSync(dirOf(mount), { recursive: true });
      for (const [k, v] of Object.entries(data)) writeFileSync(join(dirOf(mount), k), v);
    }
    mkdirSync(dirOf('/etc/powerdns/secret.d'), { recursive: true });
    chownSync(dirOf('/etc/powerdns/secret.d'), 953, 953);
    const env = Object.fromEntries((loadZones.env ?? []).map((e) => [e.name, e.value ?? 'fleetnet-test-api-key']));
    const exports = Object.entries({ PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...env }).map(([k, v]) => `${k}='${v}'`).join(' ');
    const quote = (argv: string[]) => argv.map((a) => `'${a}'`).join(' ');
    const zone = Object.keys(zones)[0].replace(/\.zone$/, '');
    expect(loadZones.command![0]).toBe('/bin/sh');
    const r = inNetns(`env -i ${exports} chroot --userspec=953:953 ${i.rootfs} ${quote(loadZones.command!)}
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin chroot --userspec=953:953 ${i.rootfs} ${quote(pdns.command!)} >${work}/pdns.log 2>&1 &
pid=$!
for _ in $(seq 1 100); do dig @127.0.0.1 -p 5353 ${zone} SOA +tries=1 +time=1 +short | grep -q . && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
echo "answer: $(dig @127.0.0.1 -p 5353 ${zone} SOA +tries=1 +time=1 +short)"
kill $pid; wait $pid || true`);
    expect(r.out).toMatch(/loaded \d+ zone\(s\)/);
    expect(r.out).toMatch(new RegExp(`answer: \\S+ \\S+ \\d+ `));
  });
});

describe(imageRef(images.busybox), () => {
  const ref = imageRef(images.busybox);
  const { file, containers } = podOf('test-x', 'cni', 'DaemonSet');
  const writer = containers[0];
  const conf = configMap('test-x', 'cni', 'cni-install');

  it('its Cmd (sh) runs, as root', () => {
    const i = image(ref);
    const r = inImage(i, [...i.config.config.Cmd!, '-c', 'echo "$(id -u) ok"']);
    expect(r.out.trim()).toBe('0 ok');
  });

  it(`runs the CNI writer of ${file}: installs the conflist, then its probes pass`, () => {
    const i = image(ref);
    const env = Object.fromEntries((writer.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
    env.INTERVAL = '1';
    // The downward API's spec.nodeName: the first node of the ConfigMap.
    const node = Object.keys(conf)[0];
    env.NODE_NAME = node;
    for (const d of [env.CONF_SRC, env.CONF_DIR, '/run/cni-writer']) mkdirSync(join(i.rootfs, d), { recursive: true });
    writeFileSync(join(i.rootfs, env.CONF_SRC, node), conf[node]);
    const withPath = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...env };
    const run = inImage(i, writer.command!, { user: '0:0', env: withPath, timeoutMs: 3000 });
    expect(run.out).toContain(`installed ${env.CONF_DIR}/${env.CONF_FILE}`);
    expect(readFileSync(join(i.rootfs, env.CONF_DIR, env.CONF_FILE), 'utf8')).toBe(conf[node]);
    for (const probe of [writer.readinessProbe!, writer.livenessProbe!]) {
      const p = inImage(i, probe.exec!.command, { user: '0:0', env: withPath });
      expect(p.status, `${probe.exec!.command.join(' ')}: ${p.out}`).toBe(0);
    }
  });
});

describe.runIf(argocdBuilt)(argocdRef, () => {
  it('every command of install.yaml answers; git clones over file:// as uid 999; git-verify-wrapper.sh runs; gpg makes a key', () => {
    const i = image(argocdRef);
    const script = [
      ...argocdCommands.map((c) => `${c} --help | head -n 1`),
      'mkdir -m 0700 /tmp/gnupg && printf "%%no-protection\\nKey-Type: RSA\\nKey-Length: 1024\\nName-Real: probe\\n%%commit\\n" > /tmp/recipe',
      'GNUPGHOME=/tmp/gnupg gpg --batch --gen-key /tmp/recipe 2>&1 && GNUPGHOME=/tmp/gnupg gpg --list-keys --with-colons | sed -n /^uid:/p',
      'cp /usr/local/bin/argocd /tmp/argocd-copy && ln -sf /tmp/argocd-copy /tmp/argocd-cmp-server && echo copyutil-ok',
      'cd /tmp && git init -q src && cd src && git -c user.email=t@example.invalid -c user.name=t commit --allow-empty -qm fleetnet-probe',
      'git clone -q file:///tmp/src /tmp/dst && git -C /tmp/dst log --format=%s',
      'git-verify-wrapper.sh HEAD && echo verify-ok',
    ].join('\n');
    const r = inImage(i, ['/bin/sh', '-ec', script], { env: { HOME: '/home/argocd', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' } });
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('Repository Server');
    expect(r.out).toContain('API server');
    expect(r.out).toContain('ApplicationSet controller');
    expect(r.out).toContain('Notifications controller');
    expect(r.out).toContain('Commit Server');
    expect(r.out).toContain('copyutil-ok');
    expect(r.out).toMatch(/^uid:.*probe/m);
    expect(r.out).toContain('fleetnet-probe');
    expect(r.out).toContain('verify-ok');
  });
});

describe(redisRef, () => {
  it('redis-server runs with install.yaml\'s arguments (one "--requirepass <password>" argument) as uid 999 and answers PING with the password only', () => {
    const i = image(redisRef);
    const script = [
      // No loopback in the test's network namespace: a Unix socket instead of the port.
      'docker-entrypoint.sh --save "" --appendonly no "--requirepass fleetnet-probe" --port 0 --unixsocket /tmp/redis.sock --daemonize yes',
      'n=0; until [ -S /tmp/redis.sock ] || [ $n -ge 100000 ]; do n=$((n+1)); done',
      'redis-cli -s /tmp/redis.sock -a fleetnet-probe --no-auth-warning ping',
      'redis-cli -s /tmp/redis.sock ping || true',
      'redis-cli -s /tmp/redis.sock -a fleetnet-probe --no-auth-warning shutdown nosave || true',
    ].join('\n');
    const r = inImage(i, ['/bin/sh', '-ec', script], { user: '999:1000' });
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('PONG');
    expect(r.out).toContain('NOAUTH');
  });
});

it('covers every image it is given', () => {
  const refs = [...built.keys()].sort();
  const tested = [images.pause, images.coredns, images.metallbController, images.metallbSpeaker, images.externalDns, images.powerdns, images.busybox].map(imageRef);
  tested.push(redisRef);
  if (argocdBuilt) tested.push(argocdRef);
  tested.sort();
  expect(refs).toEqual(tested);
});
