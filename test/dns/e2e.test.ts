/**
 * The DNS journey end to end, with real programs on loopback: a control plane per simulated cluster
 * (etcd + kube-apiserver, RBAC on), our CoreDNS build running each synthesized Corefile under the
 * token of the ServiceAccount our manifests define, and `dig` as the client.
 *
 * Two tier authorities run side by side, one per fan-out plugin: the synthesized default on the
 * authority IP, and the other plugin (the cluster listing `TierAuthorityStack.with({ fanOut })`) on
 * ALT_AUTHORITY. Every authority test asks both.
 */
import { createSocket, Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FANOUT_TIMEOUT_MS } from '../../constructs/coredns/corefiles';
import { DEFAULT_FAN_OUT_PLUGIN, FanOutPlugin } from '../../constructs/coredns/fleet-fanout';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, writeKubeconfig } from '../../lab/controlplane/kube-client';
import { CoreDnsRun, startCoreDns } from '../../lab/dns/coredns-process';
import { dig, eventually } from '../../lab/dns/dig';
import { configMapData, synthesized, writeStacks } from '../../lab/controlplane/rendered';
import { loopbackFleet, loopbackFleetWith, mgmt, x, y } from './test-fleet';

const ZONE = loopbackFleet.tierOf(x).zone;
const TTL_MS = loopbackFleet.tierOf(x).ttl * 1000;
const AUTHORITY = mgmt.dns.authorityIP!;
/** Where the authority on the non-default fan-out plugin listens (its apex still names AUTHORITY). */
const ALT_AUTHORITY = '127.0.10.54';
const OTHER_PLUGIN: FanOutPlugin = DEFAULT_FAN_OUT_PLUGIN === 'fanout' ? 'fleetfanout' : 'fanout';
/** Both authorities: [plugin, address]. */
const AUTHORITIES: readonly (readonly [FanOutPlugin, string])[] = [[DEFAULT_FAN_OUT_PLUGIN, AUTHORITY], [OTHER_PLUGIN, ALT_AUTHORITY]];
const CLUSTER_DNS_X = '127.0.10.10';
const work = mkdtempSync(join(tmpdir(), 'fleetnet-dns-e2e-'));
const measured: Record<string, number> = {};

interface SimCluster { cp: ControlPlane; admin: KubeClient }
const sims = new Map<string, SimCluster>();
const servers = new Map<string, CoreDnsRun>();
let blackHole: Socket | undefined;

/** A LoadBalancer Service announcing `host`, with the address MetalLB would have written to its status. */
async function exposeService(admin: KubeClient, name: string, host: string, ip: string): Promise<void> {
  await admin.create({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace: 'default', annotations: { 'coredns.io/hostname': host } },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  } as never);
  await admin.expectOk('PATCH', `/api/v1/namespaces/default/services/${name}/status`, {
    body: { status: { loadBalancer: { ingress: [{ ip }] } } }, contentType: 'application/merge-patch+json',
  });
}

async function startGateway(cluster: typeof x, admin: KubeClient, cp: ControlPlane): Promise<CoreDnsRun> {
  const data = configMapData(synthesized(loopbackFleet, cluster), 'cluster-gateway', 'gateway');
  const token = await admin.createToken('dns-gateway', 'gateway');
  const kubeconfig = join(work, `${cluster.name}-gateway.kubeconfig`);
  writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token });
  const { Corefile, ...files } = data;
  return startCoreDns({ corefile: Corefile, files, ip: cluster.dns.gatewayIP!, kubeconfig });
}

beforeAll(async () => {
  for (const [cluster, stacks] of [[x, ['cluster-dns', 'cluster-gateway']], [y, ['cluster-dns', 'cluster-gateway']], [mgmt, ['cluster-dns', 'tier-authority']]] as const) {
    const cp = await startControlPlane({ name: `dns-${cluster.name}` });
    const admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
    sims.set(cluster.name, { cp, admin });
    // Every synthesized DNS object is accepted by a real API server before anything runs.
    await admin.applyDirectory(writeStacks(join(work, cluster.name), loopbackFleet, cluster, stacks), { fieldManager: 'fleetnet-test' });
  }
  const sx = sims.get(x.name)!;
  const sy = sims.get(y.name)!;
  servers.set('gateway-x', await startGateway(x, sx.admin, sx.cp));
  servers.set('gateway-y', await startGateway(y, sy.admin, sy.cp));
  const authority = configMapData(synthesized(loopbackFleet, mgmt), 'tier-authority', 'authority');
  const { Corefile: authorityCorefile, ...zoneFiles } = authority;
  expect(authorityCorefile).toMatch(new RegExp(`^\\s+${DEFAULT_FAN_OUT_PLUGIN} `, 'm'));
  servers.set('authority', await startCoreDns({ corefile: authorityCorefile, files: zoneFiles, ip: AUTHORITY }));
  const alt = loopbackFleetWith(OTHER_PLUGIN);
  const { Corefile: altCorefile, ...altFiles } = configMapData(synthesized(alt.fleet, alt.mgmt), 'tier-authority', 'authority');
  expect(altCorefile).toMatch(new RegExp(`^\\s+${OTHER_PLUGIN} `, 'm'));
  servers.set('authority-alt', await startCoreDns({ corefile: altCorefile, files: altFiles, ip: ALT_AUTHORITY }));
  const clusterDns = configMapData(synthesized(loopbackFleet, x), 'cluster-dns', 'coredns');
  const dnsToken = await sx.admin.createToken('kube-system', 'coredns');
  const dnsKubeconfig = join(work, 'x-cluster-dns.kubeconfig');
  writeKubeconfig(dnsKubeconfig, { server: sx.cp.url, caPem: sx.cp.caPem, token: dnsToken });
  servers.set('cluster-dns-x', await startCoreDns({ corefile: clusterDns.Corefile, ip: CLUSTER_DNS_X, kubeconfig: dnsKubeconfig }));
}, 600_000);

afterAll(async () => {
  blackHole?.close();
  for (const s of servers.values()) await s.stop();
  for (const s of sims.values()) {
    s.admin.close();
    await s.cp.stop();
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`DNS e2e measurements (ms): ${JSON.stringify(measured)}`);
}, 120_000);

describe('the DNS journey through the tier authority', () => {
  it('a LoadBalancer Service of cluster X resolves through the authority to its address', async () => {
    await exposeService(sims.get(x.name)!.admin, 'billing', `billing.${ZONE}`, '127.0.20.1');
    for (const [plugin, server] of AUTHORITIES) {
      const { value, ms } = await eventually(() => dig(server, `billing.${ZONE}`), (r) => r.answers.includes('127.0.20.1'), 15_000);
      measured[`${plugin}.serviceVisibleMs`] = ms;
      expect(value.status, plugin).toBe('NOERROR');
      expect(value.answers, plugin).toEqual(['127.0.20.1']);
      measured[`${plugin}.answerMs`] = dig(server, `billing.${ZONE}`).ms;
    }
  }, 30_000);

  it('an Ingress host of cluster Y resolves likewise', async () => {
    const admin = sims.get(y.name)!.admin;
    await admin.create({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'default' },
      spec: { rules: [{ host: `shop.${ZONE}`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } }] },
    } as never);
    await admin.expectOk('PATCH', '/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop/status', {
      body: { status: { loadBalancer: { ingress: [{ ip: '127.0.20.2' }] } } }, contentType: 'application/merge-patch+json',
    });
    for (const [plugin, server] of AUTHORITIES) {
      const { value } = await eventually(() => dig(server, `shop.${ZONE}`), (r) => r.answers.includes('127.0.20.2'), 15_000);
      expect(value.answers, plugin).toEqual(['127.0.20.2']);
    }
  }, 30_000);

  it('the answer follows the Service when it moves to cluster Y, within the TTL', async () => {
    await sims.get(x.name)!.admin.delete('v1', 'Service', 'billing', 'default');
    await exposeService(sims.get(y.name)!.admin, 'billing', `billing.${ZONE}`, '127.0.20.3');
    // Both authorities at once: each has its own cache, and both must follow within the TTL.
    await Promise.all(AUTHORITIES.map(async ([plugin, server]) => {
      const { value, ms } = await eventually(() => dig(server, `billing.${ZONE}`), (r) => r.answers.includes('127.0.20.3'), TTL_MS + 10_000);
      measured[`${plugin}.moveFollowedMs`] = ms;
      expect(value.answers, plugin).toEqual(['127.0.20.3']);
      expect(ms, plugin).toBeLessThanOrEqual(TTL_MS + 5_000);
    }));
  }, TTL_MS + 30_000);

  it.each(AUTHORITIES)('%s: an unknown name is NXDOMAIN, and a non-A question is NODATA, not SERVFAIL', (plugin, server) => {
    const missing = dig(server, `nobody-${Date.now()}.${ZONE}`);
    expect(missing.status).toBe('NXDOMAIN');
    measured[`${plugin}.nxdomainMs`] = missing.ms;
    const aaaa = dig(server, `shop.${ZONE}`, 'AAAA');
    expect(aaaa.status).toBe('NOERROR');
    expect(aaaa.answers).toEqual([]);
  });

  it.each(AUTHORITIES)('%s: the apex answers NS and SOA that match the delegation in FLEET.md', (_plugin, server) => {
    expect(dig(server, ZONE, 'NS').answers).toEqual([`ns1.${ZONE}.`]);
    expect(dig(server, `ns1.${ZONE}`).answers).toEqual([AUTHORITY]);
    expect(dig(server, ZONE, 'SOA').answers[0]).toMatch(new RegExp(`^ns1\\.${ZONE.replace(/\./g, '\\.')}\\. hostmaster\\.`));
  });

  it('the cluster DNS of X resolves the API Service and forwards the tier zone to the authority', async () => {
    const { value } = await eventually(() => dig(CLUSTER_DNS_X, 'kubernetes.default.svc.cluster.local'), (r) => r.status === 'NOERROR' && r.answers.length > 0, 15_000);
    expect(value.answers).toEqual(['10.96.0.1']);
    expect(dig(CLUSTER_DNS_X, `shop.${ZONE}`).answers).toEqual(['127.0.20.2']);
  }, 30_000);

  it('with cluster Y dead, X still answers, and NXDOMAIN comes back within the fanout bound', async () => {
    await servers.get('gateway-y')!.stop();
    servers.delete('gateway-y');
    // A host that is down but still routed: packets vanish, no ICMP. The worst case for fanout.
    blackHole = createSocket('udp4');
    await new Promise<void>((r) => blackHole!.bind(53, y.dns.gatewayIP!, () => r()));
    const died = Date.now();
    await exposeService(sims.get(x.name)!.admin, 'api', `api.${ZONE}`, '127.0.20.4');
    for (const [plugin, server] of AUTHORITIES) {
      const { value } = await eventually(() => dig(server, `api.${ZONE}`), (r) => r.answers.includes('127.0.20.4'), 15_000);
      expect(value.answers, plugin).toEqual(['127.0.20.4']);
      measured[`${plugin}.answerWithDeadClusterMs`] = dig(server, `api.${ZONE}`).ms;
    }
    // fleetfanout's health checks find a gateway silent for 1 s down; from then on NXDOMAIN no longer
    // waits for it. fanout keeps no state: every NXDOMAIN waits for its deadline.
    await new Promise((r) => setTimeout(r, Math.max(0, died + 2_000 - Date.now())));
    for (const [plugin, server] of AUTHORITIES) {
      const missing = dig(server, `ghost-${Date.now()}.${ZONE}`, 'A', { timeoutSeconds: 8 });
      measured[`${plugin}.nxdomainWithDeadClusterMs`] = missing.ms;
      expect(missing.status, plugin).toBe('NXDOMAIN');
      // Well inside a stub resolver's 5 s, and bounded by the fan-out deadline.
      expect(missing.ms, plugin).toBeLessThan(FANOUT_TIMEOUT_MS + 1000);
      if (plugin === 'fleetfanout') expect(missing.ms, 'fleetfanout, 2 s after the cluster died').toBeLessThan(500);
    }
  }, 60_000);
});
