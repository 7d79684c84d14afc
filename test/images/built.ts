import { spawnSync } from 'node:child_process';
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

let built: Map<string, string> | undefined;
/** What the first run of tools/images/build.sh printed. */
export let firstRun: { stdout: string; stderr: string } | undefined;

/** Runs tools/images/build.sh (every recipe); throws with its last lines when it fails. */
export function runImageBuild(): { stdout: string; stderr: string } {
  const run = spawnSync('bash', [join(root, 'tools/images/build.sh')], { cwd: root, encoding: 'utf8', timeout: 1_500_000, maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`tools/images/build.sh failed (${run.status ?? run.signal}):\n${run.stderr.slice(-4000)}`);
  return { stdout: run.stdout, stderr: run.stderr };
}

/** Runs tools/images/build.sh once per test file: image reference -> tarball path. */
export function builtImages(): Map<string, string> {
  if (built) return built;
  const run = runImageBuild();
  firstRun = run;
  built = new Map();
  for (const line of run.stdout.split('\n').filter((l) => l !== '')) {
    const [ref, tar, ...rest] = line.split('\t');
    if (!ref || !tar || rest.length > 0) throw new Error(`tools/images/build.sh printed a line that is not "<ref>\\t<tar>": ${JSON.stringify(line)}`);
    if (built.has(ref)) throw new Error(`tools/images/build.sh printed ${ref} twice`);
    built.set(ref, tar);
  }
  return built;
}

function tar(args: string[], cwd?: string): string {
  const run = spawnSync('tar', args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`tar ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** Unpacks a `docker save` tarball into dir: its manifest, config, and its layers as one tree. */
export function unpackImage(tarball: string, dir: string): UnpackedImage {
  const blobs = join(dir, 'blobs');
  const rootfs = join(dir, 'rootfs');
  mkdirSync(blobs, { recursive: true });
  mkdirSync(rootfs, { recursive: true });
  tar(['-xf', tarball, '-C', blobs]);
  const manifest = JSON.parse(readFileSync(join(blobs, 'manifest.json'), 'utf8')) as { Config: string; RepoTags: string[]; Layers: string[] }[];
  if (manifest.length !== 1) throw new Error(`${tarball}: manifest.json lists ${manifest.length} images, expected 1`);
  const config = JSON.parse(readFileSync(join(blobs, manifest[0].Config), 'utf8')) as ImageConfig;
  for (const layer of manifest[0].Layers) {
    tar(['--numeric-owner', '--same-owner', '--same-permissions', '--xattrs', '--xattrs-include=security.*', '-xf', join(blobs, layer), '-C', rootfs]);
  }
  return { repoTags: manifest[0].RepoTags, config, rootfs };
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
