/**
 * One annotation publishes a Service through both DNS paths. The k8s_gateway side runs here: our
 * CoreDNS with the synthesized gateway Corefile under the gateway's own token, against a real API
 * server. The external-dns side is test/powerdns/stateless-powerdns.test.ts, which annotates its
 * Services with the key the synthesized external-dns args read (`--annotation-prefix` + hostname),
 * i.e. this same HOSTNAME_ANNOTATION, and sees real external-dns publish them into PowerDNS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTERNAL_DNS_ANNOTATION_PREFIX, HOSTNAME_ANNOTATION } from '../../constructs/external-dns/names';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, writeKubeconfig } from '../../lab/controlplane/kube-client';
import { configMapData, synthesized, writeStacks } from '../../lab/controlplane/rendered';
import { CoreDnsRun, startCoreDns } from '../../lab/dns/coredns-process';
import { dig, eventually } from '../../lab/dns/dig';
import { powerdnsFleet, pdY } from '../powerdns/test-fleet';

const work = mkdtempSync(join(tmpdir(), 'fleetnet-one-annotation-'));
const TIER_ZONE = powerdnsFleet.tierOf(pdY).zone;
const PDNS_ZONE = pdY.dns.zones![0].name;
let cp: ControlPlane;
let admin: KubeClient;
let gateway: CoreDnsRun;

beforeAll(async () => {
  cp = await startControlPlane({ name: 'one-annotation' });
  admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  await admin.applyDirectory(writeStacks(work, powerdnsFleet, pdY, ['cluster-gateway']), { fieldManager: 'fleetnet-test' });
  const kubeconfig = join(work, 'gateway.kubeconfig');
  writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: await admin.createToken('dns-gateway', 'gateway') });
  const { Corefile, ...files } = configMapData(synthesized(powerdnsFleet, pdY), 'cluster-gateway', 'gateway');
  gateway = await startCoreDns({ corefile: Corefile, files, ip: pdY.dns.gatewayIP!, kubeconfig });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  admin?.close();
  await cp?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function service(name: string, annotations: Record<string, string>, ip: string): Promise<void> {
  await admin.create({
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', annotations },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  } as never);
  await admin.expectOk('PATCH', `/api/v1/namespaces/default/services/${name}/status`, {
    body: { status: { loadBalancer: { ingress: [{ ip }] } } }, contentType: 'application/merge-patch+json',
  });
}

describe('one hostname annotation for both DNS paths', () => {
  it('external-dns is told to read exactly the annotation k8s_gateway reads', () => {
    expect(HOSTNAME_ANNOTATION).toBe('external-dns.alpha.kubernetes.io/hostname');
    const edns = synthesized(powerdnsFleet, pdY).get('powerdns')!.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: { name: string; args: string[] }[] } } } };
    const args = edns.spec.template.spec.containers.find((c) => c.name === 'external-dns')!.args;
    expect(args).toContain(`--annotation-prefix=${EXTERNAL_DNS_ANNOTATION_PREFIX}`);
  });

  it('the gateway answers the tier-zone name of a Service annotated for both zones; the GA prefix is ignored', async () => {
    await service('both', { [HOSTNAME_ANNOTATION]: `both.${TIER_ZONE},both.${PDNS_ZONE}` }, '127.0.62.1');
    await service('ga', { 'external-dns.kubernetes.io/hostname': `ga.${TIER_ZONE}` }, '127.0.62.2');
    const r = await eventually(() => dig(gateway.ip, `both.${TIER_ZONE}`), (x) => x.status === 'NOERROR' && x.answers.length > 0, 15_000, 200);
    expect(r.value.answers).toEqual(['127.0.62.1']);
    // The PowerDNS zone's name is not the gateway's to answer.
    expect(dig(gateway.ip, `both.${PDNS_ZONE}`).answers).toEqual([]);
    // Control: the prefix external-dns v0.22 defaults to is not read by k8s_gateway.
    expect(dig(gateway.ip, `ga.${TIER_ZONE}`).status).toBe('NXDOMAIN');
  }, 60_000);
});
