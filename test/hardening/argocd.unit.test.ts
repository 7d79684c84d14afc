/**
 * Argo CD's blast radius: one AppProject per cluster that admits exactly what the cluster's
 * charts-out holds, no cascading deletion, and the objects whose loss is an outage marked to survive
 * a mistake. Checked on the committed charts-out, against Argo CD's own AppProject schema.
 */
import { resolve } from 'node:path';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { describe, expect, it } from 'vitest';
import { fleet } from '../../clusters/index';
import { loadChartsOut, LoadedObject } from '../manifests/load';

const objects = loadChartsOut(resolve(__dirname, '../../charts-out'));
const validateProject = (object: unknown) => (new AppProject(object as never) as unknown as { validate(): void }).validate();
const syncOptions = (o: LoadedObject) => (o.object.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',');

interface ProjectSpec {
  sourceRepos: string[];
  destinations: { server: string; namespace: string }[];
  clusterResourceWhitelist: { group: string; kind: string }[];
}

/** What Argo CD checks before it applies an object of an Application in `project` (exact entries, as we render no patterns). */
function permitted(project: ProjectSpec, o: LoadedObject['object']): string | undefined {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const ns = o.metadata.namespace;
  if (ns === undefined) {
    return project.clusterResourceWhitelist.some((k) => k.group === group && k.kind === o.kind) ? undefined : `cluster-scoped ${group}/${o.kind} is not in clusterResourceWhitelist`;
  }
  return project.destinations.some((d) => d.server === 'https://kubernetes.default.svc' && d.namespace === ns) ? undefined : `namespace ${ns} is not a destination`;
}

describe.each(fleet.clusters.map((c) => [c.name]))('Argo CD on %s', (cluster) => {
  const mine = objects.filter((o) => o.cluster === cluster);
  const projects = mine.filter((o) => o.object.kind === 'AppProject');
  const apps = mine.filter((o) => o.object.kind === 'Application');
  const project = projects[0]?.object.spec as ProjectSpec;

  it('has one AppProject, valid against Argo CD\'s schema, reading only the fleet\'s repository', () => {
    expect(projects.map((p) => p.object.metadata.name)).toEqual([`fleetnet-${cluster}`]);
    expect(() => validateProject(projects[0].object)).not.toThrow();
    expect(project.sourceRepos).toEqual([fleet.git.repoURL]);
  });

  it('every Application (the root included) is in that project, not in default', () => {
    expect(apps.length).toBeGreaterThan(1);
    for (const a of apps) expect((a.object.spec as { project: string }).project, a.file).toBe(`fleetnet-${cluster}`);
  });

  it('the project admits every object the cluster\'s Applications deploy, and no other cluster-scoped kind', () => {
    const refused = mine.map((o) => [o.file, permitted(project, o.object)]).filter(([, why]) => why !== undefined);
    expect(refused).toEqual([]);
    const clusterKinds = new Set(mine.filter((o) => o.object.metadata.namespace === undefined).map((o) => o.object.kind));
    expect(project.clusterResourceWhitelist.map((k) => k.kind).sort()).toEqual([...clusterKinds].sort());
    // The check can fail: what a hostile commit would add is refused.
    expect(permitted(project, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'x' } })).toMatch(/not in clusterResourceWhitelist/);
    expect(permitted(project, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'kube-public' } })).toMatch(/not a destination/);
  });

  it('no Application cascades its deletion to what it deployed', () => {
    for (const a of apps) expect(a.object.metadata, a.file).not.toHaveProperty('finalizers');
  });

  it('Namespaces, CRDs, address pools, the cluster DNS, the project and the root survive a deleted app or an emptied folder', () => {
    const mustSurvive = mine.filter((o) =>
      ['Namespace', 'CustomResourceDefinition', 'IPAddressPool'].includes(o.object.kind) || o.stack === 'cluster-dns' || o.object.kind === 'AppProject' || o.object.metadata.name === 'fleetnet-root');
    expect(mustSurvive.some((o) => o.stack === 'cluster-dns')).toBe(true);
    for (const o of mustSurvive) {
      expect(syncOptions(o), o.file).toEqual(expect.arrayContaining(['Delete=false', 'Prune=confirm']));
    }
    // kubeadm's objects are still replaced whole on sync.
    const kubeDns = mine.find((o) => o.object.kind === 'Service' && o.object.metadata.name === 'kube-dns')!;
    expect(syncOptions(kubeDns)).toContain('Replace=true');
  });

  it('a stack\'s Application itself may be pruned (removing a stack from a cluster still works)', () => {
    for (const a of apps.filter((x) => x.object.metadata.name !== 'fleetnet-root')) expect(syncOptions(a), a.file).not.toContain('Prune=confirm');
  });
});

describe('the AppProject schema check', () => {
  it('rejects a broken project, so it can fail', () => {
    const p = objects.find((o) => o.object.kind === 'AppProject')!;
    expect(() => validateProject({ ...p.object, spec: { ...(p.object.spec as object), destinations: 'everywhere' } })).toThrow();
  });
});
