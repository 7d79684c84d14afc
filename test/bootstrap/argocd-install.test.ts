import { describe, expect, it } from 'vitest';
import { DEX_OBJECT_NAME, installObjects } from '../../bootstrap/argocd-install';
import { argoCdInstallManifest } from '../../bootstrap/argocd-manifest';
import type { KubeObject } from '../../synth/kube-object';

/** Argo CD's own install.yaml (from the Go module cache: `go mod download`), adapted as the bootstrap applies it. */
describe("Argo CD's install manifest, adapted", () => {
  const manifest = argoCdInstallManifest();
  type Pod = { containers: { imagePullPolicy?: string }[]; initContainers?: { imagePullPolicy?: string }[] };
  const pods = (objects: KubeObject[]) => objects.map((o) => (o.spec as { template?: { spec?: Pod } } | undefined)?.template?.spec).filter((p): p is Pod => !!p);

  it('without Dex: exactly the objects named argocd-dex-server are left out', () => {
    const all = installObjects(manifest, 'argocd');
    const noDex = installObjects(manifest, 'argocd', { dex: false });
    const dex = all.filter((o) => o.metadata.name === DEX_OBJECT_NAME);
    expect(dex.map((o) => o.kind).sort()).toEqual(['Deployment', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
    expect(noDex).toEqual(all.filter((o) => o.metadata.name !== DEX_OBJECT_NAME));
  });

  it('a pull policy goes on every container and init container, and nothing else changes', () => {
    const all = installObjects(manifest, 'argocd');
    const policy = installObjects(manifest, 'argocd', { imagePullPolicy: 'IfNotPresent' });
    expect(pods(all).flatMap((p) => [...p.containers, ...(p.initContainers ?? [])]).filter((c) => c.imagePullPolicy === 'Always').length).toBeGreaterThan(5);
    const containers = pods(policy).flatMap((p) => [...p.containers, ...(p.initContainers ?? [])]);
    expect(containers.length).toBeGreaterThan(8);
    expect(containers.every((c) => c.imagePullPolicy === 'IfNotPresent')).toBe(true);
    // With every imagePullPolicy taken out, the two are the same objects.
    const strip = (objects: KubeObject[]) => JSON.parse(JSON.stringify(objects, (k, v) => (k === 'imagePullPolicy' ? undefined : v)));
    expect(strip(policy)).toEqual(strip(all));
    expect(() => installObjects(manifest, 'argocd', { imagePullPolicy: 'Sometimes' as never })).toThrow('imagePullPolicy "Sometimes" is not one of Always, IfNotPresent, Never');
  });
});
