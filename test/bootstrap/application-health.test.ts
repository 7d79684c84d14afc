import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLICATION_HEALTH_LUA } from '../../bootstrap/application-health';

/**
 * The health check the bootstrap puts into argocd-cm, run by a real Lua 5.1 (Debian lua5.1; Argo CD's
 * interpreter, gopher-lua, implements Lua 5.1) the way Argo CD calls it: `obj` is the live Application,
 * the chunk returns `{status, message}`.
 */
const scratch = mkdtempSync(join(tmpdir(), 'fleetnet-health-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A JSON value as a Lua table constructor. */
function lua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{ ${value.map(lua).join(', ')} }`;
  return `{ ${Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${JSON.stringify(k)}] = ${lua(v)}`).join(', ')} }`;
}

function health(application: unknown): { status: string; message: string } {
  const snippet = join(scratch, 'health.lua');
  const driver = join(scratch, 'driver.lua');
  writeFileSync(snippet, APPLICATION_HEALTH_LUA);
  // Argo CD runs health checks without Lua's string library (real v3.6.1: "attempt to index a non-table
  // object(nil) with key 'sub'"); so does this driver.
  writeFileSync(driver, `string = nil\nobj = ${lua(application)}\nlocal hs = dofile(${JSON.stringify(snippet)})\nio.write(hs.status, "\\n", hs.message)\n`);
  const run = spawnSync('lua5.1', [driver], { encoding: 'utf8', timeout: 10_000 });
  if (run.error) throw new Error(`lua5.1 did not run (tools/setup/system-packages.sh installs it): ${run.error.message}`);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const [status, ...message] = run.stdout.split('\n');
  return { status, message: message.join('\n') };
}

const app = (status?: unknown) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'fleetnet-mizar', namespace: 'argocd' }, spec: {}, ...(status ? { status } : {}) });

describe('the Application health check (argocd-cm)', () => {
  it('a child that has not reported yet is Progressing, so the parent waits at its wave', () => {
    expect(health(app()).status).toBe('Progressing');
    expect(health(app({ sync: { status: 'OutOfSync' } })).status).toBe('Progressing');
    expect(health(app({ health: {} })).status).toBe('Progressing');
  });

  it('a child that reports its health passes it on, message included', () => {
    expect(health(app({ sync: { status: 'Synced' }, health: { status: 'Healthy' } }))).toEqual({ status: 'Healthy', message: '' });
    expect(health(app({ health: { status: 'Degraded', message: 'Deployment mizar-operator: 0/1 ready' } }))).toEqual({ status: 'Degraded', message: 'Deployment mizar-operator: 0/1 ready' });
    expect(health(app({ health: { status: 'Progressing' } })).status).toBe('Progressing');
    expect(health(app({ health: { status: 'Missing' } })).status).toBe('Missing');
  });

  it('a child that reports Healthy counts only once it is Synced and its sync has finished', () => {
    // What real Argo CD reports while a child's first sync has created only its Namespace.
    expect(health(app({ sync: { status: 'OutOfSync' }, health: { status: 'Healthy' } })).status).toBe('Progressing');
    expect(health(app({ health: { status: 'Healthy' } })).status).toBe('Progressing');
    expect(health(app({ sync: { status: 'Synced' }, health: { status: 'Healthy' }, operationState: { phase: 'Running' } })).status).toBe('Progressing');
    expect(health(app({ sync: { status: 'Synced' }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded' } })).status).toBe('Healthy');
    // The root lists itself: during its own sync it is OutOfSync, and its sync waits on its own health.
    const root = (status: unknown, trackedBy: string) => ({ ...app(status), metadata: { name: 'fleetnet-root', namespace: 'argocd', annotations: { 'argocd.argoproj.io/tracking-id': `${trackedBy}:argoproj.io/Application:argocd/fleetnet-root` } } });
    expect(health(root({ sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Running' } }, 'fleetnet-root')).status).toBe('Healthy');
    expect(health(root({ sync: { status: 'OutOfSync' }, health: { status: 'Healthy' } }, 'fleetnet-root-parent')).status).toBe('Progressing');
    // Not Healthy is passed on whatever the sync status: a Degraded child fails the parent's wave.
    expect(health(app({ sync: { status: 'OutOfSync' }, health: { status: 'Degraded', message: 'x' } })).status).toBe('Degraded');
  });
});
