import type { LabKube } from './argocd';
import { sleep } from './process';

/** Pods that are not Ready (Succeeded ones count as done), as `namespace/name (why)`. */
export async function podsNotReady(kube: LabKube): Promise<{ total: number; notReady: string[] }> {
  const pods = await kube.list('v1', 'pods');
  const notReady = pods
    .filter((p) => p.status?.phase !== 'Succeeded')
    .filter((p) => !(p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => {
      const waiting = (p.status?.containerStatuses ?? []).map((s: any) => s.state?.waiting?.reason ?? s.state?.terminated?.reason).filter(Boolean);
      return `${p.metadata.namespace}/${p.metadata.name} (${p.status?.phase ?? '?'}${waiting.length ? `, ${waiting.join(', ')}` : ''})`;
    });
  return { total: pods.length, notReady };
}

/** Waits (bounded) until at least one Pod exists and every Pod is Ready; returns how many there are. */
export async function waitForPodsReady(kube: LabKube, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = { total: 0, notReady: ['(no Pods yet)'] };
  while (Date.now() < deadline) {
    try {
      last = await podsNotReady(kube);
      if (last.total > 0 && last.notReady.length === 0) return last.total;
    } catch {
      /* the API server may be busy; try again */
    }
    await sleep(1000);
  }
  throw new Error(`lab: Pods not Ready after ${timeoutMs / 1000}s: ${last.notReady.join('; ')}`);
}
