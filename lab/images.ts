import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { binaries, ROOT } from './paths';
import { run } from './system';

/** One image tarball built by tools/images/build.sh. */
export interface ImageTar {
  readonly ref: string;
  readonly tar: string;
}

/** The sandbox image the lab's containerd pins (tools/images builds it, recipe pause). */
export const DEFAULT_PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/** The recipes of the images only Argo CD's install.yaml runs (its own and its Redis). */
export const ARGOCD_POD_RECIPES: ReadonlySet<string> = new Set(['argocd', 'redis']);

/**
 * Builds (or reuses) every image the synthesized manifests name, with no registry: tools/images/build.sh
 * prints `<ref>\t<tar>` per image. Argo CD's images only with `argocdPods` (the bootstrap installs Argo
 * CD as Pods); otherwise the lab runs Argo CD as host processes (lab/argocd), or not at all.
 */
export function buildImages(options: { argocdPods?: boolean } = {}): ImageTar[] {
  const recipes = readdirSync(join(ROOT, 'tools/images/recipes')).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3)).filter((r) => options.argocdPods || !ARGOCD_POD_RECIPES.has(r));
  let out: string;
  try {
    out = execFileSync('bash', [join(ROOT, 'tools/images/build.sh'), ...recipes], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30 * 60_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`lab: tools/images/build.sh failed: ${(err.stderr || err.message).trim().split('\n').slice(-15).join('\n')}`);
  }
  const images = out.split('\n').filter((l) => l.includes('\t')).map((l) => {
    const [ref, tar] = l.split('\t');
    return { ref: ref.trim(), tar: tar.trim() };
  });
  if (images.length === 0) throw new Error('lab: tools/images/build.sh printed no `<ref>\\t<tar>` lines');
  return images;
}

export function pauseImageOf(images: readonly ImageTar[]): string {
  return images.find((i) => /\/pause:/.test(i.ref))?.ref ?? DEFAULT_PAUSE_IMAGE;
}

/** Imports the tarballs into a node's containerd, in the namespace the CRI (kubelet) uses. */
export function importImages(containerdSocket: string, images: readonly ImageTar[]): void {
  for (const image of images) {
    run([binaries.ctr, '--address', containerdSocket, '-n', 'k8s.io', 'images', 'import', image.tar]);
  }
  const listed = run([binaries.ctr, '--address', containerdSocket, '-n', 'k8s.io', 'images', 'list', '-q']);
  const missing = images.filter((i) => !listed.split('\n').some((l) => l.trim() === i.ref || l.trim() === `docker.io/${i.ref}`));
  if (missing.length) throw new Error(`lab: containerd does not list ${missing.map((i) => i.ref).join(', ')} after the import; the tarball names another reference`);
}
