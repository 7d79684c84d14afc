import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { goModules } from '../constructs/catalog';

/**
 * Argo CD's install manifest at the catalog's version (`goModules.argocdModule`): `manifests/install.yaml`
 * of the argo-cd/v3 Go module, from the Go module cache (`go mod download` fetches it from the module
 * proxy once, with its checksum verified against the checksum database). No Helm chart repository is
 * needed. The images it names (quay.io/argoproj/argocd:<version>, redis, dex) must be pullable by the
 * cluster, or present on its nodes.
 */
export function argoCdInstallManifest(): string {
  const { module, version } = goModules.argocdModule;
  // The module asks for a newer Go than may be installed: let Go switch toolchains for this command.
  const run = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, GOTOOLCHAIN: 'auto' } });
  const fix = `Fix: install Go and make the module proxy reachable, or set fleetnet-bootstrap:argocdManifest to a copy of manifests/install.yaml of ${module} ${version}`;
  if (run.error || run.status !== 0) {
    const reported = run.error?.message ?? (/"Error": "(.*)"/.exec(run.stdout)?.[1] || run.stderr.trim());
    throw new Error(`could not get Argo CD's install manifest: \`go mod download ${module}@${version}\` failed (${reported}). ${fix}`);
  }
  const dir = (JSON.parse(run.stdout) as { Dir?: string }).Dir;
  const manifest = dir ? join(dir, 'manifests', 'install.yaml') : '';
  if (!manifest || !existsSync(manifest)) throw new Error(`${module}@${version} has no manifests/install.yaml. ${fix}`);
  return manifest;
}
