import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabKube, readKubeconfig, stopArgoCdFromState } from '../../lab/argocd';
import { labDown, labUp, type LabCluster, type LabNodeContext } from '../../lab/lab';
import { ROOT } from '../../lab/paths';
import { hostSnapshot, until } from './host';
import { kubeadmCoreDns } from './kubeadm-coredns';

/**
 * The kubeadm takeover on a real node, the way the README says to do it: test-x's node comes up with a
 * pod network (its own cni stack, applied by hand as a kubeadm cluster has one already) and CoreDNS in
 * kubeadm's shape (test/lab/kubeadm-coredns.ts), answering on the kube-dns ClusterIP. Then a bounded
 * loop of queries (test/lab/dns-loop.ts: every 25 ms, a new socket each, 1 s timeout, no retry, every
 * fifth over TCP) runs from the node's network namespace against that ClusterIP while the lab's real
 * Argo CD syncs the cluster from Git (its cluster-dns Application replaces ConfigMap, Service and
 * Deployment), until our Pods are Ready and kubeadm's are gone. A failed query is asked once more from a
 * new socket after its 1 s timeout, as a stub resolver does: not one lookup may be lost that way. A first
 * try may fail only the way kube-proxy allows (README, "Clusters installed with kubeadm"): a UDP query from
 * a source port that asked less than 30 s before follows that query's conntrack entry to kubeadm's first
 * Pod after it exited (kubeadm's own 5 s lameduck) and before kube-proxy deleted its entries, all within
 * 5 s; and none from the deletion of kubeadm's last Pod on, which runs our Corefile and its 35 s lameduck.
 * Every failure, with its source port, is written to a timeline file beside the lab's logs, with the
 * Service's EndpointSlices and the Pods every 200 ms (kube-proxy's log: FLEETNET_LAB_KUBE_PROXY_V=4).
 * kubeadm's last Pod must have loaded our Corefile while the Service still sent it queries on its port 53 (HOLD below). Then, with
 * Argo CD stopped, the same loop is shown to see a failure: our Pods given a Corefile that does not
 * listen on the port they declare (53 only, while they declare `dns` on 1053), the mistake the
 * takeover listeners avoid for kubeadm's Pods (which declare 53 and reload our Corefile).
 */

const CLUSTER = 'test-x';
const INTERVAL_MS = 25;
const QUERY_TIMEOUT_MS = 1000;

interface LoopResult { sent: number; answered: number; failed: number; lost: number; portReuses: number; durationMs: number; byTransport: { udp: number; tcp: number }; failures: { atMs: number; at: string; transport: string; why: string; port?: number; samePortMsAgo?: number; retried?: string[] }[] }

/** Starts dns-loop.ts in `netns`; resolves once it runs. `stop()` ends it and returns its counts. */
async function startLoop(netns: string, server: string, name: string, maxMs: number, retries = 0): Promise<{ stop: () => Promise<LoopResult>; startedAt: number }> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', netns, process.execPath, join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'test/lab/dns-loop.ts'),
    server, name, String(INTERVAL_MS), String(QUERY_TIMEOUT_MS), String(maxMs), String(retries)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await until('the query loop to start', 60_000, async () => {
    if (child.exitCode !== null) throw new Error(`dns-loop exited early: ${err}`);
    return out.includes('"ready"') ? true : undefined;
  });
  return {
    startedAt: Date.now(),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      const last = out.trim().split('\n').pop()!;
      try {
        return JSON.parse(last) as LoopResult;
      } catch {
        throw new Error(`dns-loop printed no result: ${out} ${err}`);
      }
    },
  };
}

/**
 * On a real cluster our Pods take a while to start (the image is pulled), so kubeadm's last Pod is still
 * behind the Service when the kubelet hands it our ConfigMap and its `reload` applies it. Here the image
 * is already on the node and the rollout would take seconds, so a ResourceQuota holds it: one Pod in
 * kube-system, which kubeadm's last Pod is (the Deployment keeps one available). It is released once that
 * Pod has loaded our Corefile and answered on it for 15 s.
 */
const HOLD = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'fleetnet-test-hold-rollout', namespace: 'kube-system' }, spec: { hard: { pods: '1' } } };

const yamlOf = (dir: string, file: string) => parse(readFileSync(join(dir, file), 'utf8'));

/** kube-dns Pods: ours carry the fleetnet part-of label, kubeadm's do not. */
async function dnsPods(kube: LabKube) {
  const pods = (await kube.request('GET', '/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns')).body.items ?? [];
  const ready = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') && !p.metadata.deletionTimestamp;
  const ours = pods.filter((p: any) => p.metadata.labels?.['app.kubernetes.io/part-of'] === 'fleetnet');
  const theirs = pods.filter((p: any) => p.metadata.labels?.['app.kubernetes.io/part-of'] !== 'fleetnet');
  return { ours, theirs, oursReady: ours.filter(ready).length, theirsReady: theirs.filter(ready).length };
}

/**
 * Every 200 ms, what decides where a query to kube-dns goes: the Service's ports, its EndpointSlices'
 * endpoints (ready/serving/terminating) and the kube-dns Pods (phase, deletion). Each change is one
 * line with the wall-clock time, to line up with the loop's failures and kube-proxy's log.
 */
async function watchTimeline(config: LabKube['config'], running: () => boolean, out: string[]): Promise<void> {
  const k = new LabKube(config);
  let last = '';
  try {
    for (let i = 0; running() && i < 20_000; i++) {
      const [svc, slices, pods] = await Promise.all([
        k.request('GET', '/api/v1/namespaces/kube-system/services/kube-dns').catch(() => ({ body: {} })),
        k.request('GET', '/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkube-dns').catch(() => ({ body: {} })),
        k.request('GET', '/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns').catch(() => ({ body: {} })),
      ]);
      const ports = (svc.body.spec?.ports ?? []).map((p: any) => `${p.name}/${p.protocol}:${p.port}->${p.targetPort}`).join(',');
      const eps = (slices.body.items ?? []).flatMap((sl: any) => (sl.endpoints ?? []).map((e: any) =>
        `${e.targetRef?.name}@${e.addresses?.[0]}:${(sl.ports ?? []).map((p: any) => `${p.name}=${p.port}`).join('/')}[${['ready', 'serving', 'terminating'].filter((c) => e.conditions?.[c]).join('+')}]`)).sort().join(' ');
      const ps = (pods.body.items ?? []).map((p: any) => `${p.metadata.name}:${p.status?.phase}${p.metadata.deletionTimestamp ? ':deleting' : ''}`).sort().join(' ');
      const now = `svc uid ${svc.body.metadata?.uid?.slice(0, 8)} ${ports} | slices ${eps} | pods ${ps}`;
      if (now !== last) out.push(`${new Date().toISOString()} ${now}`);
      last = now;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    k.close();
  }
}

describe('lab: Argo CD takes over kubeadm\'s CoreDNS on a real node, under continuous queries', () => {
  let before: ReturnType<typeof hostSnapshot>;
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  let lab: LabCluster;
  let kube: LabKube;
  let netns = '';
  let serviceIP = '';
  let queryName = '';
  const record: Record<string, unknown> = {};

  beforeAll(async () => {
    await labDown({ clusters: [CLUSTER], log }); // what a crashed earlier run left
    before = hostSnapshot();
  }, 5 * 60_000);

  afterAll(async () => {
    kube?.close();
    console.log(`kubeadm takeover: ${JSON.stringify(record)}`);
    const problems = await labDown({ clusters: [CLUSTER], log });
    expect(problems).toEqual([]);
    expect(hostSnapshot()).toEqual(before);
  }, 5 * 60_000);

  it('answers every query to the kube-dns ClusterIP while Argo CD replaces kubeadm\'s CoreDNS with ours', async () => {
    let loop: Awaited<ReturnType<typeof startLoop>> | undefined;
    const reloaded = new Set<string>();
    const lastLogs = new Map<string, string>();
    let lastPodDeletedAt = 0;
    const seen = new Set<string>();
    let watching = true;
    let watcher: Promise<void> = Promise.resolve();
    let timelineWatcher: Promise<void> = Promise.resolve();
    const timeline: string[] = [];
    const begin = Date.now();
    const at = (what: string) => (record[what] ??= Date.now() - begin);

    const beforeArgoCd = async (node: LabNodeContext) => {
      netns = node.netns;
      const dnsDir = join(node.chartsOut, CLUSTER, 'cluster-dns');
      serviceIP = yamlOf(dnsDir, 'service.kube-dns.yaml').spec.clusterIP;
      const image = yamlOf(dnsDir, 'deployment.coredns.yaml').spec.template.spec.containers[0].image;
      const clusterDomain = /kubernetes (\S+) in-addr\.arpa/.exec(yamlOf(dnsDir, 'configmap.coredns.yaml').data.Corefile)![1];
      queryName = `kubernetes.default.svc.${clusterDomain}`;
      // A kubeadm cluster has its pod network before anyone installs Argo CD.
      const cniDir = join(node.chartsOut, CLUSTER, 'cni');
      for (const file of ['namespace.cni-system.yaml', 'serviceaccount.cni-install.yaml', 'configmap.cni-install.yaml', 'daemonset.cni-install.yaml']) {
        const object = yamlOf(cniDir, file);
        await node.kube.apply(object, `${object.kind.toLowerCase()}s`);
      }
      await until('the node Ready (pod network)', 180_000, async () => {
        const n = (await node.kube.list('v1', 'nodes'))[0];
        return n?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
      });
      for (const { object, plural } of kubeadmCoreDns({ serviceIP, image, clusterDomain })) await node.kube.apply(object, plural);
      await until('kubeadm\'s two CoreDNS Pods Ready', 180_000, async () => ((await dnsPods(node.kube)).theirsReady === 2 ? true : undefined));
      await until('kube-dns answering from the node', 60_000, async () => {
        try {
          const out = execFileSync('ip', ['netns', 'exec', netns, 'dig', '+short', '+time=1', '+tries=1', `@${serviceIP}`, queryName, 'A'], { encoding: 'utf8' }).trim();
          return /^\d+\.\d+\.\d+\.\d+$/.test(out) ? out : undefined;
        } catch {
          return undefined;
        }
      });
      at('kubeadm CoreDNS answering');
      loop = await startLoop(netns, serviceIP, queryName, 20 * 60_000, 1);
      at('loop started');
      // The hold (see above): no new Pod in kube-system until kubeadm's last Pod runs our Corefile.
      await node.kube.apply(HOLD, 'resourcequotas');
      timelineWatcher = watchTimeline(node.kube.config, () => watching, timeline);
      watcher = (async () => {
        const k = new LabKube(node.kube.config);
        let reloadedAt = 0;
        let held = true;
        try {
          for (let i = 0; watching && i < 3600; i++) {
            const { theirs } = await dnsPods(k).catch(() => ({ theirs: [] as any[] }));
            for (const p of theirs) {
              seen.add(p.metadata.name);
              const logText = (await k.request('GET', `/api/v1/namespaces/kube-system/pods/${p.metadata.name}/log`).catch(() => ({ body: '' }))).body;
              if (typeof logText === 'string') lastLogs.set(p.metadata.name, logText);
              if (p.metadata.deletionTimestamp && reloaded.has(p.metadata.name) && !lastPodDeletedAt) {
                lastPodDeletedAt = Date.parse(p.metadata.deletionTimestamp) - (p.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
                at('kubeadm\'s last Pod deleted');
              }
              if (typeof logText === 'string' && /Reloading complete/.test(logText) && !reloaded.has(p.metadata.name)) {
                reloaded.add(p.metadata.name);
                reloadedAt ||= Date.now();
                at('a kubeadm Pod runs our Corefile');
              }
            }
            const cm = await k.get('v1', 'configmaps', 'coredns', 'kube-system').catch(() => undefined);
            if (cm?.metadata?.labels?.['app.kubernetes.io/part-of'] === 'fleetnet') at('Argo CD replaced the ConfigMap');
            const sinceReplace = record['Argo CD replaced the ConfigMap'] === undefined ? 0 : Date.now() - begin - (record['Argo CD replaced the ConfigMap'] as number);
            // Release 15 s after the reload (traffic through that Pod meanwhile), or give up waiting for it after 150 s.
            if (held && ((reloadedAt && Date.now() - reloadedAt > 15_000) || sinceReplace > 150_000)) {
              await k.delete('v1', 'resourcequotas', HOLD.metadata.name, 'kube-system');
              held = false;
              at('hold released');
              // The ReplicaSet controller retries a quota refusal with a growing backoff; a change to our ReplicaSet syncs it now.
              for (const rs of await k.list('apps/v1', 'replicasets', 'kube-system')) {
                if (rs.metadata.labels?.['app.kubernetes.io/part-of'] === 'fleetnet') await k.mergePatch('apps/v1', 'replicasets', rs.metadata.name, 'kube-system', { metadata: { annotations: { 'fleetnet.io/test-hold-released': String(Date.now()) } } });
              }
            }
            await new Promise((r) => setTimeout(r, 500));
          }
        } finally {
          if (held) await k.delete('v1', 'resourcequotas', HOLD.metadata.name, 'kube-system').catch(() => false);
          k.close();
        }
      })();
    };

    try {
      lab = await labUp({ cluster: CLUSTER, log, timeoutMs: 12 * 60_000, beforeArgoCd });
      at('argo cd synced and healthy, every pod ready');
      kube = new LabKube(readKubeconfig(lab.kubeconfig));
      await until('our two Pods Ready and kubeadm\'s gone', 300_000, async () => {
        const p = await dnsPods(kube);
        return p.oursReady === 2 && p.theirs.length === 0 ? true : undefined;
      });
      at('ours ready, kubeadm gone');
    } finally {
      watching = false;
      await watcher;
      await timelineWatcher;
    }
    const result = await loop!.stop();
    const timelineFile = join(lab.dir, '..', `takeover-timeline-${CLUSTER}.log`);
    writeFileSync(timelineFile, [...timeline, ...result.failures.map((f) => `${f.at} QUERY FAILED ${JSON.stringify(f)}`), ...[...lastLogs].map(([n, l]) => `--- last log of ${n}\n${l}`)].sort().join('\n') + '\n');
    record.timeline = timelineFile;
    record.queries = result.sent;
    record.answered = result.answered;
    record.failed = result.failed;
    record.byTransport = result.byTransport;
    record.loopSeconds = result.durationMs / 1000;
    record.kubeadmPods = [...seen];
    record.kubeadmPodsThatLoadedOurCorefile = [...reloaded];
    const servedByReloaded = (record['hold released'] as number) - (record['a kubeadm Pod runs our Corefile'] as number);
    record.secondsServedByAKubeadmPodOnOurCorefile = servedByReloaded / 1000;
    record.lost = result.lost;
    record.failures = result.failures;
    record.udpPortReuses = result.portReuses;
    const failedAt = result.failures.map((f) => Date.parse(f.at));
    record.failureWindowMs = failedAt.length ? Math.max(...failedAt) - Math.min(...failedAt) : 0;
    // What the takeover guarantees (README, "Clusters installed with kubeadm"). Not a query lost to a
    // client that asks again from a new socket after its 1 s timeout, as a stub resolver does:
    expect(result.lost, JSON.stringify(result.failures)).toBe(0);
    // A first try fails only the one way the cause allows: a UDP query from a source port that asked
    // less than 30 s before, through that query's conntrack entry, to kubeadm's first Pod, gone with
    // kubeadm's own 5 s lameduck before kube-proxy drops its entries. Anything else is a new bug.
    for (const f of result.failures) {
      expect(f, JSON.stringify(result.failures)).toMatchObject({ transport: 'udp', why: 'timeout' });
      expect(f.samePortMsAgo, JSON.stringify(f)).toBeLessThan(30_000);
    }
    // None once kubeadm's last Pod, running our Corefile (its 35 s lameduck), is deleted.
    expect(lastPodDeletedAt).toBeGreaterThan(0);
    expect(result.failures.filter((f) => Date.parse(f.at) >= lastPodDeletedAt - 1000), JSON.stringify(result.failures)).toEqual([]);
    // kubeadm's first Pod's window: from its exit to kube-proxy's conntrack cleanup (0.5 to 3 s measured).
    expect(record.failureWindowMs).toBeLessThanOrEqual(5000);
    expect(result.answered + result.failed).toBe(result.sent);
    // The loop covered the whole takeover: it ran from before Argo CD started until kubeadm's Pods were gone.
    expect(result.sent).toBeGreaterThan(1000);
    expect(seen.size).toBe(2);
    // The case the takeover listeners are for happened: a kubeadm Pod (declaring 53) ran our Corefile behind the Service.
    expect(reloaded.size).toBeGreaterThanOrEqual(1);
    expect(servedByReloaded).toBeGreaterThan(10_000);
  }, 25 * 60_000);

  it('sees failures with the same loop when Pods do not listen on the port they declare (the mistake the takeover listeners avoid)', async () => {
    expect(await stopArgoCdFromState(lab.dir, { keepLogsIn: join(lab.dir, 'logs', 'argocd') })).toBe(true); // or self-heal puts the ConfigMap back
    const cm = await kube.get('v1', 'configmaps', 'coredns', 'kube-system');
    const corefile = (cm.data.Corefile as string).replace(/^(\S+):1053 \1:53 \{/gm, '$1:53 {');
    expect(corefile).not.toContain(':1053');
    await kube.mergePatch('v1', 'configmaps', 'coredns', 'kube-system', { data: { Corefile: corefile } });
    const loop = await startLoop(netns, serviceIP, queryName, 4 * 60_000);
    const began = Date.now();
    // Our Pods declare `dns` on 1053: once the kubelet hands them this Corefile and `reload` applies it, queries fail.
    let result: LoopResult | undefined;
    try {
      await until('our Pods to reload the 53-only Corefile', 180_000, async () => {
        const pods = (await dnsPods(kube)).ours;
        const logs = await Promise.all(pods.map(async (p: any) => (await kube.request('GET', `/api/v1/namespaces/kube-system/pods/${p.metadata.name}/log`)).body as string));
        return logs.length === 2 && logs.every((l) => (l.match(/Reloading complete/g) ?? []).length >= 1) ? true : undefined;
      });
      await new Promise((r) => setTimeout(r, 5000));
    } finally {
      result = await loop.stop();
    }
    record.negative = { queries: result.sent, failed: result.failed, seconds: (Date.now() - began) / 1000, firstFailure: result.failures[0] };
    expect(result.failed).toBeGreaterThan(0);
  }, 8 * 60_000);
});
