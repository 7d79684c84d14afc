import { resolve } from 'node:path';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { describe, expect, it } from 'vitest';
import { fleet } from '../../clusters/index';
import { stacksOf } from '../../synth/render';
import { loadChartsOut } from './load';

/** Validates against the Application schema of @kubernetes-models/argo-cd (its typings miss `validate`). */
const validateApplication = (object: unknown) => (new Application(object as never) as unknown as { validate(): void }).validate();

const objects = loadChartsOut(resolve(__dirname, '../../charts-out'));
const apps = objects.filter((o) => o.object.kind === 'Application');

describe('Argo CD Applications', () => {
  it('every cluster has a root Application and one per stack', () => {
    for (const c of fleet.clusters) {
      const names = apps.filter((a) => a.cluster === c.name).map((a) => a.object.metadata.name).sort();
      expect(names).toEqual(['fleetnet-root', ...stacksOf(c).map((s) => `fleetnet-${s.stackName}`)].sort());
    }
  });

  it.each(apps.map((a) => [a.file, a] as const))('%s validates against the Argo CD schema', (_file, app) => {
    expect(() => validateApplication(app.object)).not.toThrow();
  });

  it.each(apps.map((a) => [a.file, a] as const))('%s syncs its own folder, automated with prune, self-heal and retries', (_file, app) => {
    const spec = app.object.spec as {
      source: { path: string; repoURL: string; targetRevision: string; directory: { recurse: boolean } };
      syncPolicy: { automated: { prune: boolean; selfHeal: boolean }; retry: { limit: number } };
      destination: { server: string };
    };
    const stack = app.object.metadata.name === 'fleetnet-root' ? 'argocd' : app.object.metadata.name.replace(/^fleetnet-/, '');
    expect(spec.source.path).toBe(`${fleet.git.basePath}/${app.cluster}/${stack}`);
    expect(spec.source.repoURL).toBe(fleet.git.repoURL);
    expect(spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(spec.syncPolicy.retry.limit).toBeGreaterThan(0);
    expect(app.object.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toMatch(/^-?\d+$/);
  });

  it('rejects a broken Application, so the schema check can fail', () => {
    const bad = { ...apps[0].object, spec: { ...(apps[0].object.spec as object), destination: 'in-cluster' } };
    expect(() => validateApplication(bad)).toThrow();
  });
});
