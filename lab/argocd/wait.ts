import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KubeObject, LabKube } from './kube';

/** Reading Applications as Argo CD reports them, and waiting on them (every wait bounded). */

const APPS = 'argoproj.io/v1alpha1';

export interface ApplicationState {
  readonly name: string;
  /** `Synced`, `OutOfSync`, `Unknown`, or '' before the first report. */
  readonly sync: string;
  /** Argo CD's own health: `Healthy`, `Progressing`, `Degraded`, `Missing`, ... */
  readonly health: string;
  /** The commit the sync status refers to. */
  readonly revision: string;
  /** Phase of the last (or current) sync operation. */
  readonly operationPhase: string;
  /** Conditions, the operation's message and every resource not Synced or not Healthy: why it is not there yet. */
  readonly problems: readonly string[];
}

export function applicationState(app: any): ApplicationState {
  const status = app.status ?? {};
  const problems: string[] = [];
  for (const c of status.conditions ?? []) problems.push(`${c.type}: ${c.message}`);
  const op = status.operationState;
  if (op?.phase && op.phase !== 'Succeeded') problems.push(`operation ${op.phase}: ${op.message ?? ''}`);
  for (const r of status.resources ?? []) {
    const id = `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
    if (r.status && r.status !== 'Synced') problems.push(`${id} ${r.status}`);
    if (r.health?.status && r.health.status !== 'Healthy') problems.push(`${id} ${r.health.status}${r.health.message ? ` (${r.health.message})` : ''}`);
  }
  return {
    name: app.metadata.name,
    sync: status.sync?.status ?? '',
    health: status.health?.status ?? '',
    revision: status.sync?.revision ?? '',
    operationPhase: op?.phase ?? '',
    problems,
  };
}

export async function applicationStates(kube: LabKube, namespace = 'argocd'): Promise<ApplicationState[]> {
  return (await kube.list(APPS, 'applications', namespace)).map(applicationState);
}

export function describeStates(states: readonly ApplicationState[]): string {
  return states
    .map((s) => `${s.name}: ${s.sync || '-'}/${s.health || '-'} at ${s.revision.slice(0, 8) || '-'}${s.operationPhase ? ` (op ${s.operationPhase})` : ''}` +
      (s.problems.length ? `\n    ${s.problems.slice(0, 8).join('\n    ')}` : ''))
    .join('\n');
}

export interface WaitForApplicationsOptions {
  /** @default 'argocd' */
  readonly namespace?: string;
  /** Applications that must exist and be ready. @default - every Application there (at least one) */
  readonly names?: readonly string[];
  /**
   * Each must be Synced to this commit. Argo CD moves an Application to a new commit only when the commit
   * touches its folder or the Application is refreshed, so name just those with a revision.
   * @default - any
   */
  readonly revision?: string;
  /** @default 300000 */
  readonly timeoutMs?: number;
  /** @default 1000 */
  readonly pollMs?: number;
}

/**
 * Waits until each Application is Synced and Healthy by Argo CD's own assessment, with no sync operation
 * running (and at `revision` when given); returns the time it took. Throws, listing each Application
 * and what keeps it, when the time is up.
 */
export async function waitForApplications(kube: LabKube, options: WaitForApplicationsOptions = {}): Promise<{ elapsedMs: number; states: ApplicationState[] }> {
  const begin = Date.now();
  const timeoutMs = options.timeoutMs ?? 300_000;
  const pollMs = options.pollMs ?? 1000;
  let states: ApplicationState[] = [];
  let lastError = '';
  for (let i = 0; i < Math.ceil(timeoutMs / pollMs) + 1; i++) {
    try {
      states = await applicationStates(kube, options.namespace);
      lastError = '';
      const wanted = options.names ? options.names.map((n) => states.find((s) => s.name === n)) : states;
      const ready = (s: ApplicationState | undefined) =>
        !!s && s.sync === 'Synced' && s.health === 'Healthy' && s.operationPhase !== 'Running' && (!options.revision || s.revision === options.revision);
      if (wanted.length > 0 && wanted.every(ready)) return { elapsedMs: Date.now() - begin, states };
    } catch (e) {
      lastError = (e as Error).message;
    }
    if (Date.now() - begin > timeoutMs) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const missing = (options.names ?? []).filter((n) => !states.some((s) => s.name === n));
  throw new Error(
    `Applications not Synced and Healthy${options.revision ? ` at ${options.revision.slice(0, 8)}` : ''} within ${timeoutMs} ms` +
      (missing.length ? `; missing: ${missing.join(', ')}` : '') + (lastError ? `; last error: ${lastError}` : '') + `:\n${describeStates(states)}`,
  );
}

/** Asks Argo CD to compare the Applications with Git now (the `argocd.argoproj.io/refresh` annotation). */
export async function requestRefresh(kube: LabKube, names: readonly string[], options: { namespace?: string; hard?: boolean } = {}): Promise<void> {
  for (const name of names) {
    await kube.mergePatch(APPS, 'applications', name, options.namespace ?? 'argocd', {
      metadata: { annotations: { 'argocd.argoproj.io/refresh': options.hard ? 'hard' : 'normal' } },
    });
  }
}

/**
 * What the bootstrap applies once Argo CD runs: every AppProject of the cluster's `argocd/` folder (the
 * root Application belongs to one), then the root Application. Read from the lab's Git work tree, so the
 * repoURL is already the lab's. Returns the names applied.
 */
export async function applyRootApplication(kube: LabKube, argocdFolder: string, rootName = 'fleetnet-root'): Promise<{ projects: string[]; root: string }> {
  const objects = readdirSync(argocdFolder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(readFileSync(join(argocdFolder, f), 'utf8')) as KubeObject);
  const projects = objects.filter((o) => o?.kind === 'AppProject');
  const root = objects.find((o) => o?.kind === 'Application' && o.metadata.name === rootName);
  if (!root) throw new Error(`${argocdFolder} has no Application ${rootName}: run \`npm run synth\` and commit charts-out`);
  for (const p of projects) await kube.apply(p, 'appprojects');
  await kube.apply(root, 'applications');
  return { projects: projects.map((p) => p.metadata.name), root: rootName };
}
