/**
 * Real Argo CD (application-controller + repo-server from the argo-cd/v3 module, Redis from Debian)
 * syncing an app-of-apps from a local Git repository onto a real kube-apiserver. No kubelet runs here,
 * so the tree holds nothing that needs a Pod (see argocd-tree.ts). When the lab's kube-controller-manager
 * is built, its garbage collector runs too, so a prune (Argo CD deletes in the foreground) completes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  ArgoCd,
  applyRootApplication,
  describeStates,
  LabGitRepo,
  LabKube,
  makeGitRepo,
  netnsLinks,
  pushCommit,
  requestRefresh,
  startArgoCd,
  waitForApplications,
} from '../../lab/argocd';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { waitFor } from '../../lab/process';
import { ControllerManager, KUBE_CONTROLLER_MANAGER, startControllerManager } from '../../lab/controlplane/controller-manager';
import { writeKubeconfig } from '../../lab/controlplane/kube-client';
import { GATE_HEALTH_KEY, GATE_HEALTH_LUA, RECORDS_V1, RECORDS_V2, TREE_APPS, TREE_CLUSTER, TREE_REPO_URL, writeTree } from './argocd-tree';

const NS = 'lab-first';
const timings: Record<string, number> = {};

let cp: ControlPlane;
let argo: ArgoCd;
let kube: LabKube;
let repo: LabGitRepo;
let commit: string;
let kcm: ControllerManager | undefined;
let work: string;

const configMap = (name: string) => kube.get('v1', 'configmaps', name, NS);

describe('real Argo CD syncs an app-of-apps from Git onto a real API server', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fleetnet-argocd-test-'));
    cp = await startControlPlane({ name: 'argocd-sync' });
    const kubeconfig = join(work, 'admin.kubeconfig');
    writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    // Only what Argo CD's deletes need: the garbage collector (and the namespace controller).
    if (existsSync(KUBE_CONTROLLER_MANAGER)) kcm = await startControllerManager(cp, { controllers: ['garbagecollector', 'namespace'] });
    const begin = Date.now();
    argo = await startArgoCd({
      kubeconfigPath: kubeconfig,
      stateDir: work,
      name: 'sync-test',
      extraSettings: { [GATE_HEALTH_KEY]: GATE_HEALTH_LUA },
    });
    timings.argoStartMs = Date.now() - begin;
    for (const [step, ms] of Object.entries(argo.timings)) timings[`argoStart: ${step}`] = ms;
    kube = argo.kube;
    ({ repo, commit } = makeGitRepo(writeTree(join(work, 'charts-out')), { dir: join(work, 'git'), fleetRepoUrl: TREE_REPO_URL }));
  }, 240_000);

  afterAll(async () => {
    await argo?.stop({ keepLogsIn: process.env.FLEETNET_KEEP_ARGOCD ? join(tmpdir(), 'fleetnet-argocd-sync-logs') : undefined });
    await kcm?.stop();
    await cp?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    console.log(`argocd timings (ms): ${JSON.stringify(timings)}${kcm ? '' : ' (no kube-controller-manager built: prune not completed)'}`);
  });

  it('runs in a network namespace with only loopback, and the committed Applications name the local repository', () => {
    expect(netnsLinks(argo.netns)).toEqual(['lo']);
    // The controller's metrics server binds 0.0.0.0:8082 inside that namespace, and none of Argo CD's
    // listeners is in the host's namespace.
    const inside = execFileSync('ip', ['netns', 'exec', argo.netns, 'ss', '-Hltnp'], { encoding: 'utf8' });
    expect(inside).toMatch(/(0\.0\.0\.0|\*|\[::\]):8082\s/);
    const host = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' });
    const ours = host.split('\n').filter((l) => argo.pids.some((pid) => l.includes(`pid=${pid},`)));
    expect(ours).toEqual([]);
    const root = parse(readFileSync(join(repo.workDir, 'charts-out', TREE_CLUSTER, 'argocd', 'application.fleetnet-root.yaml'), 'utf8'));
    expect(root.spec.source.repoURL).toBe(repo.url);
    expect(repo.url).toMatch(/^file:\/\//);
  });

  it('syncs wave 0 first and holds wave 10 until wave 0 is healthy, then all are Synced and Healthy', async () => {
    const begin = Date.now();
    const seen: string[] = [];
    let watching = true;
    const watch = (async () => {
      for (let i = 0; watching && i < 2000; i++) {
        const a = await kube.get('argoproj.io/v1alpha1', 'applications', 'fleetnet-first', argo.namespace).catch(() => undefined);
        const h = a ? `${a.status?.sync?.status ?? '-'}/${a.status?.health?.status ?? '-'} res=${(a.status?.resources ?? []).length}` : 'absent';
        if (seen[seen.length - 1]?.split(' @')[0] !== h) seen.push(`${h} @${Date.now() - begin}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await applyRootApplication(kube, join(repo.workDir, 'charts-out', TREE_CLUSTER, 'argocd'));
    // Wave 0 is applied (its Gate exists) but cannot be healthy yet ...
    await waitFor('the Gate of wave 0 applied by Argo CD', () => kube.get('lab.fleetnet.io/v1', 'gates', 'wave-0', NS), { timeoutMs: 120_000, intervalMs: 500 });
    timings.firstWaveAppliedMs = Date.now() - begin;
    await new Promise((r) => setTimeout(r, 5000));
    watching = false;
    await watch;
    console.log(`fleetnet-first as the root saw it: ${seen.join(' -> ')}`);
    // ... so the Application of wave 10 is not even created.
    expect(await kube.get('argoproj.io/v1alpha1', 'applications', 'fleetnet-second', argo.namespace)).toBeUndefined();
    expect(await configMap('dependent')).toBeUndefined();

    await kube.expectOk('PATCH', `/apis/lab.fleetnet.io/v1/namespaces/${NS}/gates/wave-0/status`, { status: { open: true } }, 'application/merge-patch+json');
    const opened = Date.now();
    const { elapsedMs, states } = await waitForApplications(kube, { names: [...TREE_APPS], revision: commit, timeoutMs: 240_000 });
    timings.syncedHealthyAfterGateMs = elapsedMs;
    timings.syncedHealthyTotalMs = Date.now() - begin;
    expect(states.map((s) => `${s.name} ${s.sync} ${s.health}`).sort()).toEqual(TREE_APPS.map((n) => `${n} Synced Healthy`).sort());
    expect((await configMap('dependent'))?.data).toEqual({ wave: '10' });
    expect(Date.now() - opened).toBeLessThan(240_000);
  }, 400_000);

  it('applies server-side where the Application says so (managed fields of an Apply by argocd-controller)', async () => {
    const records = await configMap('records');
    const managers = (records.metadata.managedFields ?? []).map((f: { manager: string; operation: string }) => `${f.manager}/${f.operation}`);
    expect(managers).toContain('argocd-controller/Apply');
    const dependent = await configMap('dependent'); // the `second` app applies client-side
    expect((dependent.metadata.managedFields ?? []).map((f: { operation: string }) => f.operation)).not.toContain('Apply');
  });

  it('heals a hand-deleted ConfigMap', async () => {
    const before = await configMap('records');
    expect(await kube.delete('v1', 'configmaps', 'records', NS)).toBe(true);
    const healBegin = Date.now();
    const value = await waitFor('records recreated by self-heal', async () => {
      const cm = await configMap('records');
      return cm && cm.metadata.uid !== before.metadata.uid ? cm : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250 });
    timings.selfHealMs = Date.now() - healBegin;
    expect(value.data).toEqual({ 'lab.zone': RECORDS_V1 });
  }, 150_000);

  it('rolls out a commit that changes a record', async () => {
    const begin = Date.now();
    const next = pushCommit(repo, 'lab: www moves to .20', (dir) => {
      const file = join(dir, 'charts-out', TREE_CLUSTER, 'first', 'configmap.records.yaml');
      const cm = parse(readFileSync(file, 'utf8'));
      cm.data['lab.zone'] = RECORDS_V2;
      writeFileSync(file, stringify(cm));
    });
    await requestRefresh(kube, ['fleetnet-root', 'fleetnet-first']);
    await waitFor('the new record in the live ConfigMap', async () => (await configMap('records'))?.data?.['lab.zone'] === RECORDS_V2, { timeoutMs: 120_000, intervalMs: 250 });
    timings.recordRolledOutMs = Date.now() - begin;
    // Argo CD moves an Application to a new commit when the commit touches its folder (or on a refresh).
    await waitForApplications(kube, { names: ['fleetnet-root', 'fleetnet-first'], revision: next, timeoutMs: 120_000 });
    await waitForApplications(kube, { names: [...TREE_APPS], timeoutMs: 120_000 });
    commit = next;
  }, 250_000);

  it('prunes an object whose file is removed from Git', async () => {
    const begin = Date.now();
    const next = pushCommit(repo, 'lab: extra is gone', (dir) => rmSync(join(dir, 'charts-out', TREE_CLUSTER, 'second', 'configmap.extra.yaml')));
    await requestRefresh(kube, ['fleetnet-root', 'fleetnet-second']);
    if (kcm) {
      await waitFor('extra pruned', async () => (await configMap('extra')) === undefined, { timeoutMs: 120_000, intervalMs: 250 });
      timings.pruneMs = Date.now() - begin;
      await waitForApplications(kube, { names: ['fleetnet-root', 'fleetnet-second'], revision: next, timeoutMs: 120_000 });
      const { states } = await waitForApplications(kube, { names: [...TREE_APPS], timeoutMs: 120_000 });
      expect(describeStates(states)).not.toContain('extra');
    } else {
      // Argo CD deletes with foreground propagation: without a garbage collector the object stays Terminating.
      const value = await waitFor('extra marked for deletion', async () => (await configMap('extra'))?.metadata?.deletionTimestamp, { timeoutMs: 120_000, intervalMs: 250 });
      timings.pruneRequestedMs = Date.now() - begin;
      expect(value).toBeTruthy();
    }
    expect((await configMap('dependent'))?.data).toEqual({ wave: '10' });
  }, 250_000);
});
