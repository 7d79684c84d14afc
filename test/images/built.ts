import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** The config of an image tarball, as `docker save` writes it (go-containerregistry's field names). */
export interface ImageConfig {
  architecture: string;
  os: string;
  config: {
    Entrypoint?: string[];
    Cmd?: string[];
    User?: string;
    WorkingDir?: string;
    Env?: string[];
    ExposedPorts?: Record<string, object>;
    Labels?: Record<string, string>;
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: { comment?: string }[];
}

export interface UnpackedImage {
  /** RepoTags of manifest.json. */
  readonly repoTags: string[];
  readonly config: ImageConfig;
  /** The layers applied in order, as a root file system (extracted by GNU tar as root, xattrs kept). */
  readonly rootfs: string;
}

const run = promisify(execFile);
let built: Promise<Map<string, string>> | undefined;
/** What the first run of tools/images/build.sh printed. */
export let firstRun: { stdout: string; stderr: string } | undefined;

/**
 * Runs tools/images/build.sh (every recipe); throws with its last lines when it fails. Asynchronous,
 * so a cold build (a minute or more) never blocks the test worker.
 */
export async function runImageBuild(): Promise<{ stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', [join(root, 'tools/images/build.sh')], { cwd: root, encoding: 'utf8', timeout: 1_500_000, maxBuffer: 1 << 26 });
    return { stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; signal?: string; stderr?: string; message: string };
    throw new Error(`tools/images/build.sh failed (${err.code ?? err.signal}):\n${(err.stderr ?? err.message).slice(-4000)}`);
  }
}

/** Runs tools/images/build.sh once per test file: image reference -> tarball path. */
export function builtImages(): Promise<Map<string, string>> {
  built ??= runImageBuild().then((r) => {
    firstRun = r;
    const images = new Map<string, string>();
    for (const line of r.stdout.split('\n').filter((l) => l !== '')) {
      const [ref, tar, ...rest] = line.split('\t');
      if (!ref || !tar || rest.length > 0) throw new Error(`tools/images/build.sh printed a line that is not "<ref>\\t<tar>": ${JSON.stringify(line)}`);
      if (images.has(ref)) throw new Error(`tools/images/build.sh printed ${ref} twice`);
      images.set(ref, tar);
    }
    return images;
  });
  return built;
}

async function tar(args: string[]): Promise<void> {
  try {
    await run('tar', args, { timeout: 120_000, maxBuffer: 1 << 26 });
  } catch (e) {
    throw new Error(`tar ${args.join(' ')}: ${(e as { stderr?: string; message: string }).stderr ?? (e as Error).message}`);
  }
}

/** Unpacks a `docker save` tarball into dir: its manifest, config, and its layers as one tree. */
export async function unpackImage(tarball: string, dir: string): Promise<UnpackedImage> {
  const blobs = join(dir, 'blobs');
  const rootfs = join(dir, 'rootfs');
  mkdirSync(blobs, { recursive: true });
  mkdirSync(rootfs, { recursive: true });
  await tar(['-xf', tarball, '-C', blobs]);
  const manifest = JSON.parse(readFileSync(join(blobs, 'manifest.json'), 'utf8')) as { Config: string; RepoTags: string[]; Layers: string[] }[];
  if (manifest.length !== 1) throw new Error(`${tarball}: manifest.json lists ${manifest.length} images, expected 1`);
  const config = JSON.parse(readFileSync(join(blobs, manifest[0].Config), 'utf8')) as ImageConfig;
  for (const layer of manifest[0].Layers) {
    await tar(['--numeric-owner', '--same-owner', '--same-permissions', '--xattrs', '--xattrs-include=security.*', '-xf', join(blobs, layer), '-C', rootfs]);
  }
  return { repoTags: manifest[0].RepoTags, config, rootfs };
}

/** Builds every image (once per test file) and unpacks each into its own folder below `work`. */
export async function unpackBuiltImages(work: string): Promise<{ built: Map<string, string>; unpacked: Map<string, UnpackedImage> }> {
  const built = await builtImages();
  const unpacked = new Map<string, UnpackedImage>();
  for (const [ref, tarball] of built) unpacked.set(ref, await unpackImage(tarball, join(work, ref.replace(/[/:]/g, '_'))));
  return { built, unpacked };
}

/** The uid:gid an image's User means, resolved as the runtime does (numeric, or a name in its /etc/passwd). */
export function resolveUser(image: UnpackedImage): { uid: number; gid: number } {
  const user = image.config.config.User ?? '';
  if (user === '') return { uid: 0, gid: 0 };
  const [u, g] = user.split(':');
  const passwdFile = join(image.rootfs, 'etc/passwd');
  const passwd = existsSync(passwdFile) ? readFileSync(passwdFile, 'utf8').split('\n').map((l) => l.split(':')) : [];
  const entry = /^\d+$/.test(u) ? passwd.find((p) => p[2] === u) : passwd.find((p) => p[0] === u);
  if (!entry && !/^\d+$/.test(u)) throw new Error(`user ${u} of the image is not in its /etc/passwd`);
  const uid = Number(entry ? entry[2] : u);
  const gid = g !== undefined ? Number(g) : Number(entry ? entry[3] : 0);
  return { uid, gid };
}
