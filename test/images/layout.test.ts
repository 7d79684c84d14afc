import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { images, imageRef } from '../../constructs/catalog';
import { loadChartsOut } from '../manifests/load';
import { firstRun, resolveUser, runImageBuild, unpackBuiltImages, type UnpackedImage } from './built';
import { argocdBuilt, argocdRef, redisRef, upstream } from './upstream';

/**
 * Every image the synthesized manifests name (Mizar's excepted: it cannot run here) and the lab's
 * sandbox image, built by tools/images/build.sh, read back from its tarball: the reference it
 * carries, its config and its layers, held to the upstream image it stands in for
 * (test/images/upstream.ts), and to what the manifests ask of it.
 */

const root = resolve(__dirname, '../..');
const mizar = [images.mizarNodeInit, images.mizarDaemon, images.mizarOperator].map(imageRef);

type Container = { name: string; image: string; command?: string[]; securityContext?: { runAsUser?: number; runAsNonRoot?: boolean } };
type PodSpec = { containers: Container[]; initContainers?: Container[]; securityContext?: { runAsUser?: number; runAsNonRoot?: boolean } };

/** Every container of charts-out with the pod it is in. */
function manifestContainers(): { file: string; pod: PodSpec; container: Container }[] {
  const out: { file: string; pod: PodSpec; container: Container }[] = [];
  for (const o of loadChartsOut(join(root, 'charts-out'))) {
    const pod = (o.object.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
    if (!pod) continue;
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) out.push({ file: o.file, pod, container });
  }
  return out;
}

const containers = manifestContainers();
const named = [...new Set(containers.map((c) => c.container.image))].sort();
const work = mkdtempSync(join(tmpdir(), 'fleetnet-images-'));
let unpacked: Map<string, UnpackedImage>;
let built: Map<string, string>;

beforeAll(async () => {
  ({ built, unpacked } = await unpackBuiltImages(work));
}, 1_500_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tools/images/build.sh', () => {
  it('builds every image charts-out names, except Mizar\'s, the pause image, the redis image of Argo CD\'s install.yaml (and Argo CD\'s once its binary is built): nothing else', () => {
    expect(named.length).toBeGreaterThan(5);
    const expected = [...named.filter((r) => !mizar.includes(r)), imageRef(images.pause), redisRef, ...(argocdBuilt ? [argocdRef] : [])].sort();
    expect([...built.keys()].sort()).toEqual(expected);
  });

  it('is cached: a second run builds nothing and prints the same lines', async () => {
    const again = await runImageBuild();
    expect(again.stdout.split('\n')).toEqual(firstRun!.stdout.split('\n'));
    expect(again.stderr).not.toMatch(/ built in \d+s/);
  }, 120_000);

  it('holds every image to recorded upstream facts', () => {
    expect(Object.keys(upstream).sort()).toEqual([...built.keys()].sort());
  });

  it('gives CoreDNS, MetalLB and external-dns one identical distroless base layer (stored once by containerd)', () => {
    const bases = [images.coredns, images.metallbController, images.metallbSpeaker, images.externalDns].map((e) => unpacked.get(imageRef(e))!.config.rootfs.diff_ids[0]);
    expect(new Set(bases).size).toBe(1);
  });

  it('writes each tarball with exactly the reference the manifests use, for linux/amd64', () => {
    for (const [ref, image] of unpacked) {
      expect(image.repoTags, ref).toEqual([ref]);
      expect(image.config.os, ref).toBe('linux');
      expect(image.config.architecture, ref).toBe('amd64');
      expect(image.config.rootfs.diff_ids.length, ref).toBeGreaterThan(0);
    }
  });
});

describe.each(Object.keys(upstream))('%s', (ref) => {
  const facts = upstream[ref];
  const image = () => {
    const i = unpacked.get(ref);
    if (!i) throw new Error(`${ref} was not built`);
    return i;
  };

  it('has the entrypoint, cmd, user and working directory of the upstream image', () => {
    const c = image().config.config;
    expect(c.Entrypoint, facts.source).toEqual(facts.entrypoint);
    expect(c.Cmd, facts.source).toEqual(facts.cmd);
    expect(c.User, facts.source).toEqual(facts.user);
    expect(c.WorkingDir || undefined, facts.source).toEqual(facts.workingDir);
    for (const e of facts.env) expect(c.Env ?? [], facts.source).toContain(e);
    expect(Object.keys(c.ExposedPorts ?? {}).sort(), facts.source).toEqual([...(facts.exposedPorts ?? [])].sort());
  });

  it('has the upstream paths, modes and owners', () => {
    for (const [path, want] of Object.entries(facts.paths)) {
      const full = join(image().rootfs, path);
      const st = lstatSync(full, { throwIfNoEntry: false });
      expect(st, `${path} in ${ref}`).toBeDefined();
      const type = st!.isSymbolicLink() ? 'link' : st!.isDirectory() ? 'dir' : st!.isFile() ? 'file' : 'other';
      expect(type, path).toBe(want.type);
      if (want.mode !== undefined) expect((st!.mode & 0o7777).toString(8), `${path} mode`).toBe(want.mode.toString(8));
      if (want.uid !== undefined) expect(st!.uid, `${path} uid`).toBe(want.uid);
      if (want.gid !== undefined) expect(st!.gid, `${path} gid`).toBe(want.gid);
    }
  });

  it('carries its file capabilities as security.capability, read back by getcap', () => {
    const wanted = facts.capabilities ?? {};
    for (const [path, caps] of Object.entries(wanted)) {
      const run = spawnSync('getcap', [join(image().rootfs, path)], { encoding: 'utf8' });
      expect(run.stdout.trim().split(/\s+/).slice(1).join(' '), path).toBe(caps);
    }
    // No other file in the image has a capability.
    const all = spawnSync('getcap', ['-r', image().rootfs], { encoding: 'utf8' });
    const withCaps = all.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(/\s+/)[0].slice(image().rootfs.length));
    expect(withCaps.sort()).toEqual(Object.keys(wanted).sort());
  });

  it('runs as a user its /etc/passwd knows (or a numeric one)', () => {
    const { uid } = resolveUser(image());
    expect(Number.isInteger(uid)).toBe(true);
  });
});

describe('what the manifests ask of the images', () => {
  const usable = containers.filter((c) => !mizar.includes(c.container.image));

  it.each(usable.map((c) => [`${c.file} ${c.container.name}`, c] as const))('%s: the program it starts is in the image and executable', (_, { container }) => {
    const image = unpacked.get(container.image)!;
    const program = container.command?.[0] ?? image.config.config.Entrypoint?.[0] ?? image.config.config.Cmd?.[0];
    expect(program, 'a command or an image entrypoint').toBeDefined();
    const path = program!.startsWith('/') ? program! : imagePathLookup(image, program!);
    expect(path, `${program} on the image's PATH`).toBeDefined();
    const full = join(image.rootfs, resolveInImage(image.rootfs, path!));
    expect(existsSync(full), `${path} in ${container.image}`).toBe(true);
    expect(() => accessSync(full, constants.X_OK)).not.toThrow();
  });

  it.each(usable.map((c) => [`${c.file} ${c.container.name}`, c] as const))('%s: runAsNonRoot holds for the user the pod runs as', (_, { pod, container }) => {
    const nonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    const uid = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    if (!nonRoot) return;
    if (uid !== undefined) {
      expect(uid).not.toBe(0);
      return;
    }
    // No runAsUser: the kubelet checks the image's User, which must then be numeric and not 0.
    const user = unpacked.get(container.image)!.config.config.User ?? '';
    expect(user.split(':')[0], `${container.image} User with runAsNonRoot and no runAsUser`).toMatch(/^[1-9]\d*$/);
  });
});

/** The first match of a program name on the image's PATH (as the runtime resolves a relative command). */
function imagePathLookup(image: UnpackedImage, name: string): string | undefined {
  const pathEnv = (image.config.config.Env ?? []).find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  for (const dir of pathEnv.split(':')) {
    const candidate = `${dir}/${name}`;
    if (existsSync(join(image.rootfs, resolveInImage(image.rootfs, candidate)))) return candidate;
  }
  return undefined;
}

/** Resolves symbolic links of an image path inside the image's root (absolute links stay inside). */
function resolveInImage(rootfs: string, path: string, depth = 0): string {
  if (depth > 40) throw new Error(`too many links resolving ${path}`);
  const parts = path.split('/').filter((p) => p !== '');
  let resolved = '';
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '.') continue;
    if (parts[i] === '..') {
      resolved = resolved.slice(0, resolved.lastIndexOf('/'));
      continue;
    }
    const next = `${resolved}/${parts[i]}`;
    const st = lstatSync(join(rootfs, next), { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) {
      const target = readlinkSync(join(rootfs, next));
      const base = target.startsWith('/') ? target : `${resolved}/${target}`;
      return resolveInImage(rootfs, [base, ...parts.slice(i + 1)].join('/'), depth + 1);
    }
    resolved = next;
  }
  return resolved || '/';
}
