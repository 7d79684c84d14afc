/**
 * The first sync over a kubeadm cluster: Argo CD replaces kubeadm's ConfigMap, and kubeadm's CoreDNS
 * pods, still running and still behind the Service on their declared port 53, reload our Corefile.
 * Here a real CoreDNS plays such a pod: started with a kubeadm-style Corefile on 53, then handed the
 * synthesized one through its `reload` plugin, while queries to port 53 run without pause. The whole
 * pod-level rollout with a real kubelet and Service is for the lab (lab/), which builds real nodes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, writeKubeconfig } from '../../lab/controlplane/kube-client';
import { configMapData, synthesized, writeStacks } from '../../lab/controlplane/rendered';
import { COREDNS_BINARY } from '../../lab/dns/coredns-process';
import { dig, eventually } from '../../lab/dns/dig';
import { startProgram } from '../../lab/process';
import { haFleet, y } from './authority-fleet';

const NAME = 'kube-dns.kube-system.svc.cluster.local';
const work = mkdtempSync(join(tmpdir(), 'fleetnet-takeover-'));
let cp: ControlPlane;
let admin: KubeClient;
let kubeconfig: string;

beforeAll(async () => {
  cp = await startControlPlane({ name: 'takeover' });
  admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  await admin.applyDirectory(writeStacks(join(work, 'charts'), haFleet, y, ['cluster-dns']), { fieldManager: 'fleetnet-test' });
  kubeconfig = join(work, 'coredns.kubeconfig');
  writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: await admin.createToken('kube-system', 'coredns') });
}, 120_000);

afterAll(async () => {
  admin?.close();
  await cp?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** kubeadm's Corefile as far as this test needs it: 53, the cluster domain, and a 2 s reload. */
const kubeadmCorefile = (ip: string) => `.:53 {
    bind ${ip}
    errors
    health ${ip}:8080
    ready ${ip}:8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig ${kubeconfig}
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
    loop
    reload 2s 1s
}
`;

/** The synthesized Corefile as this process runs it: every listener kept, bound to `ip`, our credentials. */
function ours(corefile: string, ip: string): string {
  return corefile
    .replace(/^(\S+:\d+(?: \S+:\d+)*) \{\n/gm, `$1 {\n    bind ${ip}\n`)
    .replace(/^(\s+)(health|ready|prometheus) :(\d+)/gm, `$1$2 ${ip}:$3`)
    .replace(/^(\s+)kubernetes ([^\n]*)\{\n/gm, `$1kubernetes $2{\n$1    kubeconfig ${kubeconfig}\n`)
    // The takeover window is about the seconds of a rollout; check the new Corefile quickly too.
    .replace(/^(\s+)reload$/m, '$1reload 2s 1s');
}

/** Runs the takeover on `ip` with `next` as the new Corefile; queries port 53 every 100 ms throughout. */
async function takeover(ip: string, next: string): Promise<{ answered: number; failed: number; after1053: string }> {
  const dir = mkdtempSync(join(work, 'pod-'));
  const conf = join(dir, 'Corefile');
  const log = join(dir, 'coredns.log');
  writeFileSync(conf, kubeadmCorefile(ip));
  const coredns = startProgram(COREDNS_BINARY, ['-conf', conf], { logFile: log });
  try {
    const up = await eventually(() => dig(ip, NAME, 'A', { timeoutSeconds: 1 }).status, (s) => s === 'NOERROR', 30_000, 200);
    expect(up.value).toBe('NOERROR');
    writeFileSync(conf, next); // what the kubelet does when Argo CD replaced the ConfigMap
    let answered = 0;
    let failed = 0;
    let reloadedAt: number | undefined;
    const started = Date.now();
    // Until 3 s after the reload finished; bounded to 300 queries and 40 s.
    for (let i = 0; i < 300 && Date.now() - started < 40_000; i++) {
      const r = dig(ip, NAME, 'A', { timeoutSeconds: 1 });
      if (r.status === 'NOERROR' && r.answers.includes('10.96.0.10')) answered++;
      else failed++;
      if (reloadedAt === undefined && /Reloading complete/.test(readFileSync(log, 'utf8'))) reloadedAt = Date.now();
      if (reloadedAt !== undefined && Date.now() - reloadedAt > 3000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(reloadedAt, `CoreDNS never reloaded:\n${readFileSync(log, 'utf8')}`).toBeDefined();
    return { answered, failed, after1053: dig(ip, NAME, 'A', { port: 1053, timeoutSeconds: 1 }).status };
  } finally {
    await coredns.stop(3000);
  }
}

describe('taking over kubeadm\'s CoreDNS', () => {
  it('the synthesized cluster DNS listens on kubeadm\'s 53 as well as 1053, and its pods may bind 53 without a capability', () => {
    const stack = synthesized(haFleet, y).get('cluster-dns')!;
    const corefile = configMapData(synthesized(haFleet, y), 'cluster-dns', 'coredns').Corefile;
    expect(corefile).toMatch(/^\.:1053 \.:53 \{$/m);
    const deployment = stack.find((o) => o.kind === 'Deployment')! as unknown as { spec: { template: { spec: { securityContext: { sysctls: unknown[] }; containers: { securityContext: { capabilities: unknown } }[] } } } };
    expect(deployment.spec.template.spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '53' }]);
    expect(deployment.spec.template.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  it('a kubeadm pod that reloads our Corefile answers on 53 through the whole reload; with 1053 alone it black-holes', async () => {
    const corefile = configMapData(synthesized(haFleet, y), 'cluster-dns', 'coredns').Corefile;
    const withFix = await takeover('127.0.18.10', ours(corefile, '127.0.18.10'));
    expect(withFix.failed).toBe(0);
    expect(withFix.answered).toBeGreaterThan(10);
    expect(withFix.after1053).toBe('NOERROR');

    // Control: the Corefile without kubeadm's port, as before the fix.
    const only1053 = corefile.replace(/^(\S+):1053 \1:53 \{$/gm, '$1:1053 {');
    expect(only1053).not.toMatch(/:53 \{/);
    const without = await takeover('127.0.18.11', ours(only1053, '127.0.18.11'));
    expect(without.failed).toBeGreaterThan(0);
    expect(without.after1053).toBe('NOERROR');
  }, 120_000);
});
