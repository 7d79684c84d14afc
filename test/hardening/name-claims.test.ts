/**
 * Two workload clusters claim one name of the tier zone. What the tier authority answers is defined
 * here: one cluster's addresses, never a merge of both and never NXDOMAIN, but which cluster is not
 * fixed (the first gateway to answer wins). Real: two API servers, two gateways and the authority,
 * each our CoreDNS running the synthesized Corefile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTNAME_ANNOTATION } from '../../constructs/external-dns/names';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, writeKubeconfig } from '../../lab/controlplane/kube-client';
import { configMapData, synthesized, writeStacks } from '../../lab/controlplane/rendered';
import { CoreDnsRun, startCoreDns } from '../../lab/dns/coredns-process';
import { dig, eventually } from '../../lab/dns/dig';
import { mgmt, singleAuthorityFleet as f, y, ZONE } from './authority-fleet';

const x = f.cluster('ha-x');
const work = mkdtempSync(join(tmpdir(), 'fleetnet-claims-'));
const planes: { cp: ControlPlane; admin: KubeClient }[] = [];
const servers: CoreDnsRun[] = [];
const NAME = `shared.${ZONE}`;
const AUTHORITY = mgmt.dns.authorityIP!;

beforeAll(async () => {
  for (const [c, ip] of [[x, '127.0.63.1'], [y, '127.0.63.2']] as const) {
    const cp = await startControlPlane({ name: `claims-${c.name}` });
    const admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    planes.push({ cp, admin });
    await admin.applyDirectory(writeStacks(join(work, c.name), f, c, ['cluster-gateway']), { fieldManager: 'fleetnet-test' });
    await admin.create({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'shared', namespace: 'default', annotations: { [HOSTNAME_ANNOTATION]: NAME } },
      spec: { type: 'LoadBalancer', selector: { app: 'shared' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    } as never);
    await admin.expectOk('PATCH', '/api/v1/namespaces/default/services/shared/status', { body: { status: { loadBalancer: { ingress: [{ ip }] } } }, contentType: 'application/merge-patch+json' });
    const kubeconfig = join(work, `${c.name}.kubeconfig`);
    writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: await admin.createToken('dns-gateway', 'gateway') });
    const { Corefile, ...files } = configMapData(synthesized(f, c), 'cluster-gateway', 'gateway');
    servers.push(await startCoreDns({ corefile: Corefile, files, ip: c.dns.gatewayIP!, kubeconfig }));
  }
  const { Corefile, ...files } = configMapData(synthesized(f, mgmt), 'tier-authority', 'authority');
  servers.push(await startCoreDns({ corefile: Corefile, files, ip: AUTHORITY }));
}, 240_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const p of planes) {
    p.admin.close();
    await p.cp.stop();
  }
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('two clusters claim one tier name', () => {
  it('each gateway answers its own claim', async () => {
    for (const [gw, ip] of [[x.dns.gatewayIP!, '127.0.63.1'], [y.dns.gatewayIP!, '127.0.63.2']]) {
      const r = await eventually(() => dig(gw, NAME), (a) => a.answers.length > 0, 15_000, 200);
      expect(r.value.answers).toEqual([ip]);
    }
  }, 40_000);

  it('the authority answers one cluster\'s address, never both and never NXDOMAIN', async () => {
    const seen = new Set<string>();
    // 12 queries over 12 s: the authority caches an answer for the tier TTL (5 s), so the fan-out runs
    // again at least twice.
    for (let i = 0; i < 12; i++) {
      const r = dig(AUTHORITY, NAME);
      expect(r.status).toBe('NOERROR');
      expect(r.answers).toHaveLength(1);
      expect(['127.0.63.1', '127.0.63.2']).toContain(r.answers[0]);
      seen.add(r.answers[0]);
      await new Promise((res) => setTimeout(res, 1000));
    }
    console.log(`two claims of ${NAME}: the authority answered ${[...seen].join(' and ')} over 12 queries`);
  }, 60_000);
});
