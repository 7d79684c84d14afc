import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PowerDns } from '../../constructs/powerdns/powerdns';
import { powerDnsPropsOf } from '../../stacks/powerdns';
import { synthesizeFleet } from '../../synth/synthesize';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, KubeObject, writeKubeconfig } from '../../lab/controlplane/kube-client';
import { answers, axfr, soaSerial } from '../../lab/dns/dig';
import { LocalExternalDns } from '../../lab/dns/external-dns-process';
import { LocalPowerDns } from '../../lab/dns/powerdns-process';
import { loadPowerDnsManifests, powerDnsManifests, PowerDnsManifests } from '../../lab/dns/powerdns-manifests';
import { waitFor } from '../../lab/process';
import { pdY, powerdnsFleet, STATIC_SERIAL } from './test-fleet';

/**
 * The stateless PowerDNS as synthesized, run for real: Debian's PowerDNS fed with the init script,
 * pdns.conf and zone files from the synthesized ConfigMaps, external-dns (built from its Go module) with
 * the sidecar's args, under the ServiceAccount token and RBAC the manifests define, against a real
 * kube-apiserver. Each "pod" gets its own loopback address; nothing leaves 127.0.0.0/8.
 */

const ZONE = 'static.platform.test';
const LAB = 'lab.platform.test';
const APPS = 'apps';
/** external-dns's full-reconciliation interval from the synthesized args. */
let intervalMs = 0;
let hostnameAnnotation = '';
let ownerId = '';
let txtPrefix = '';

let outdir: string;
let cp: ControlPlane;
let admin: KubeClient;
let manifests: PowerDnsManifests;
let kubeconfigDir: string;
let secrets: Record<string, Record<string, string>>;
const replicas: { pdns: LocalPowerDns; edns: LocalExternalDns }[] = [];
const timings: string[] = [];

function flag(args: readonly string[], name: string): string {
  const found = args.filter((a) => a.startsWith(`--${name}=`));
  if (found.length !== 1) throw new Error(`expected one --${name} in the external-dns args`);
  return found[0].slice(name.length + 3);
}

async function startReplica(ip: string, from = manifests, kubeconfig = join(kubeconfigDir, 'kubeconfig')): Promise<{ pdns: LocalPowerDns; edns: LocalExternalDns; ms: { init: number; pdns: number; edns: number } }> {
  const pdns = new LocalPowerDns({ manifests: from, ip, secrets });
  const init = pdns.runInit();
  const pdnsMs = await pdns.start();
  const edns = new LocalExternalDns({ container: from.externalDns, ip, pdnsApiUrl: pdns.apiUrl, kubeconfig, secrets });
  const replica = { pdns, edns };
  replicas.push(replica);
  const ednsMs = await edns.start();
  return { ...replica, ms: { init: init.ms, pdns: pdnsMs, edns: ednsMs } };
}

const q = (r: { pdns: LocalPowerDns }, name: string, type = 'A') => answers(r.pdns.ip, r.pdns.dnsPort, name, type);

/** Polls until `name type` answers exactly `want` at the replica; returns the milliseconds it took from `since`. */
async function until(r: { pdns: LocalPowerDns; edns: LocalExternalDns }, name: string, type: string, want: string[], since: number, timeoutMs: number): Promise<number> {
  await waitFor(`${name} ${type} = [${want.join(', ')}] at ${r.pdns.ip}`, async () => (JSON.stringify(q(r, name, type)) === JSON.stringify([...want].sort()) ? true : undefined), {
    timeoutMs,
    state: () => `last answer: [${q(r, name, type).join(', ')}]\nexternal-dns log:\n${r.edns.log(15)}`,
  });
  return Date.now() - since;
}

function loadBalancer(name: string, hostname: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: APPS, annotations: { [hostnameAnnotation]: hostname } },
    spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  };
}

/** Sets the Service's LoadBalancer address through the status subresource, as MetalLB does. */
async function setLoadBalancerIp(name: string, ip: string): Promise<void> {
  await admin.expectOk('PATCH', `/api/v1/namespaces/${APPS}/services/${name}/status`, {
    body: { status: { loadBalancer: { ingress: [{ ip }] } } },
    contentType: 'application/merge-patch+json',
  });
}

/** The ownership TXT name external-dns uses for an A record (from the synthesized --txt-prefix). */
const ownerTxt = (fqdn: string, type = 'a') => `${txtPrefix.replace('%{record_type}', type)}${fqdn}`;

async function pdnsPatch(r: { pdns: LocalPowerDns }, rrsets: unknown[]): Promise<void> {
  const res = await fetch(`${r.pdns.apiUrl}/api/v1/servers/localhost/zones/${ZONE}.`, {
    method: 'PATCH',
    headers: { 'X-API-Key': r.pdns.apiKey(), 'content-type': 'application/json' },
    body: JSON.stringify({ rrsets }),
  });
  if (res.status !== 204) throw new Error(`PATCH ${ZONE}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'fleetnet-powerdns-out-'));
  synthesizeFleet(powerdnsFleet, { outdir });
  manifests = loadPowerDnsManifests(join(outdir, pdY.name, 'powerdns'));
  const args = manifests.externalDns.args ?? [];
  intervalMs = Number(/^(\d+)s$/.exec(flag(args, 'interval'))?.[1]) * 1000;
  hostnameAnnotation = `${flag(args, 'annotation-prefix')}hostname`;
  ownerId = flag(args, 'txt-owner-id');
  txtPrefix = flag(args, 'txt-prefix');

  cp = await startControlPlane({ name: 'powerdns' });
  admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  await admin.applyDirectory(join(outdir, pdY.name, 'powerdns'), { fieldManager: 'argocd' });
  // What the README tells the operator to do: the API key Secret, created out of band.
  const apiKey = randomBytes(18).toString('base64url');
  const secretRef = manifests.init.env!.find((e) => e.valueFrom?.secretKeyRef)!.valueFrom!.secretKeyRef!;
  await admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secretRef.name, namespace: 'powerdns' }, stringData: { [secretRef.key]: apiKey } });
  // The kubelet reads it for the pod's env.
  const stored = await admin.get<KubeObject & { data: Record<string, string> }>('v1', 'Secret', secretRef.name, 'powerdns');
  secrets = { [secretRef.name]: Object.fromEntries(Object.entries(stored!.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])) };
  const sa = (manifests.deployment.spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName;
  kubeconfigDir = mkdtempSync(join(tmpdir(), 'fleetnet-powerdns-kubeconfig-'));
  writeKubeconfig(join(kubeconfigDir, 'kubeconfig'), { server: cp.url, caPem: cp.caPem, token: await admin.createToken('powerdns', sa) });
  await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: APPS } });

  const a = await startReplica('127.0.53.11');
  timings.push(`replica A: init ${a.ms.init} ms, PowerDNS up ${a.ms.pdns} ms, external-dns healthy ${a.ms.edns} ms`);
}, 240_000);

afterAll(async () => {
  for (const r of replicas) {
    await r.edns.stop();
    await r.pdns.stop();
  }
  admin?.close();
  await cp?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  if (kubeconfigDir) rmSync(kubeconfigDir, { recursive: true, force: true });
  // Measured here, reported by the test log.
  console.log(`stateless PowerDNS timings:\n  ${timings.join('\n  ')}`);
}, 60_000);

describe('stateless PowerDNS + external-dns, from the synthesized manifests', () => {
  it('external-dns runs with exactly the access its ClusterRole grants', async () => {
    const sa = 'system:serviceaccount:powerdns:powerdns';
    const subject = { user: sa, groups: ['system:serviceaccounts', 'system:serviceaccounts:powerdns', 'system:authenticated'] };
    const can = async (verb: string, resource: string, group = '') => (await admin.accessReview({ verb, resource, group }, subject)).allowed;
    expect(await can('list', 'services')).toBe(true);
    expect(await can('watch', 'services')).toBe(true);
    expect(await can('list', 'ingresses', 'networking.k8s.io')).toBe(true);
    for (const [verb, resource, group] of [['get', 'secrets', ''], ['list', 'pods', ''], ['list', 'endpointslices', 'discovery.k8s.io'], ['list', 'nodes', ''], ['update', 'services', ''], ['list', 'dnsendpoints', 'externaldns.k8s.io']]) {
      expect(await can(verb, resource, group), `${verb} ${resource}`).toBe(false);
    }
    // And it is running under that token: its informers synced (else /healthz never came, or it exited).
    expect(replicas[0].edns.running).toBe(true);
    const synced = await replicas[0].edns.syncedSince(0, 30_000);
    expect(synced).toBeGreaterThan(0);
    expect(replicas[0].edns.log()).not.toMatch(/forbidden/i);
  }, 60_000);

  it('(1) serves every static record of each zone, with the serial from Git', async () => {
    const a = replicas[0];
    expect(soaSerial(a.pdns.ip, a.pdns.dnsPort, ZONE)).toBe(STATIC_SERIAL);
    expect(q(a, `registry.${ZONE}`)).toEqual(['127.0.61.10']);
    expect(q(a, `registry.${ZONE}`, 'AAAA')).toEqual(['fd00:53::10']);
    expect(q(a, `git.${ZONE}`)).toEqual(['127.0.61.10', `registry.${ZONE}.`]);
    expect(q(a, ZONE, 'MX')).toEqual(['10 mail.platform.test.']);
    expect(q(a, ZONE, 'TXT')).toEqual(['"v=spf1 mx -all"']);
    expect(q(a, `_ldap._tcp.${ZONE}`, 'SRV')).toEqual([`0 100 389 registry.${ZONE}.`]);
    // The default name server, with its address taken from the cluster's dns.powerdnsIP.
    expect(q(a, ZONE, 'NS')).toEqual([`ns1.${ZONE}.`]);
    expect(q(a, `ns1.${ZONE}`)).toEqual([pdY.dns.powerdnsIP!]);
    expect(answers(a.pdns.ip, a.pdns.dnsPort, `nothing.${ZONE}`, 'A')).toEqual([]);
    // The hand-written zone file, loaded as it is.
    expect(soaSerial(a.pdns.ip, a.pdns.dnsPort, LAB)).toBe(2026010105);
    expect(q(a, `scope.${LAB}`)).toEqual(['127.0.61.1', `bench.${LAB}.`]);
    // Over TCP too (the Service exposes 53/TCP).
    const tcp = (await import('../../lab/dns/dig')).dig(a.pdns.ip, `registry.${ZONE}`, 'A', { port: a.pdns.dnsPort, tcp: true });
    expect(tcp.answers).toEqual(['127.0.61.10']);
  });

  it('(2) a LoadBalancer Service appears within one sync, follows its IP, and goes away with its TXT record', async () => {
    const a = replicas[0];
    const name = `web.${ZONE}`;
    await admin.create(loadBalancer('web', name));
    let t0 = Date.now();
    await setLoadBalancerIp('web', '127.0.60.1');
    const appear = await until(a, name, 'A', ['127.0.60.1'], t0, intervalMs);
    timings.push(`Service web: record served ${appear} ms after its status got an IP (event-driven; --interval ${intervalMs / 1000}s)`);
    expect(appear).toBeLessThan(intervalMs);
    const txt = q(a, ownerTxt(name), 'TXT');
    expect(txt.join(' ')).toContain(`external-dns/owner=${ownerId}`);
    expect(txt.join(' ')).toContain('external-dns/resource=service/apps/web');
    // SOA-EDIT-API: the API edit raised the serial above the one from Git.
    expect(soaSerial(a.pdns.ip, a.pdns.dnsPort, ZONE)).toBeGreaterThan(STATIC_SERIAL);

    t0 = Date.now();
    await setLoadBalancerIp('web', '127.0.60.2');
    const moved = await until(a, name, 'A', ['127.0.60.2'], t0, intervalMs);
    timings.push(`Service web: new IP served ${moved} ms after the status changed`);

    // An Ingress is published the same way (the ingress source under the same ClusterRole).
    await admin.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'shop', namespace: APPS },
      spec: { rules: [{ host: `shop.${ZONE}`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    t0 = Date.now();
    await admin.expectOk('PATCH', `/apis/networking.k8s.io/v1/namespaces/${APPS}/ingresses/shop/status`, {
      body: { status: { loadBalancer: { ingress: [{ ip: '127.0.60.9' }] } } },
      contentType: 'application/merge-patch+json',
    });
    timings.push(`Ingress shop: record served ${await until(a, `shop.${ZONE}`, 'A', ['127.0.60.9'], t0, intervalMs)} ms after its status got an IP`);

    t0 = Date.now();
    await admin.delete('v1', 'Service', 'web', APPS);
    const gone = await until(a, name, 'A', [], t0, intervalMs);
    expect(q(a, ownerTxt(name), 'TXT')).toEqual([]);
    timings.push(`Service web: record and TXT removed ${gone} ms after the Service was deleted`);
  }, 120_000);

  it('(3) leaves alone a record another cluster owns, and removes a stale one of its own', async () => {
    const a = replicas[0];
    const foreign = `billing.${ZONE}`;
    const stale = `stale.${ZONE}`;
    const heritage = (owner: string, resource: string) => `"heritage=external-dns,external-dns/owner=${owner},external-dns/resource=${resource}"`;
    await pdnsPatch(a, [
      { name: `${foreign}.`, type: 'A', ttl: 300, changetype: 'REPLACE', records: [{ content: '127.0.62.1', disabled: false }] },
      { name: `${ownerTxt(foreign)}.`, type: 'TXT', ttl: 300, changetype: 'REPLACE', records: [{ content: heritage('prod-other', 'service/apps/billing'), disabled: false }] },
      // Same shape, but owned by this cluster and with no Service behind it: sync must delete it.
      { name: `${stale}.`, type: 'A', ttl: 300, changetype: 'REPLACE', records: [{ content: '127.0.62.2', disabled: false }] },
      { name: `${ownerTxt(stale)}.`, type: 'TXT', ttl: 300, changetype: 'REPLACE', records: [{ content: heritage(ownerId, 'service/apps/stale'), disabled: false }] },
    ]);
    // A Service of this cluster claims the foreign name with another address.
    await admin.create(loadBalancer('billing', foreign));
    const t0 = Date.now();
    await setLoadBalancerIp('billing', '127.0.62.9');
    // Watch delivery is milliseconds; a reconciliation that began 2 s later has seen both changes.
    await a.edns.syncedSince(t0 + 2000, intervalMs + 20_000);
    expect(q(a, foreign)).toEqual(['127.0.62.1']);
    expect(q(a, ownerTxt(foreign), 'TXT').join(' ')).toContain('external-dns/owner=prod-other');
    expect(q(a, stale)).toEqual([]);
    expect(q(a, ownerTxt(stale), 'TXT')).toEqual([]);
    await admin.delete('v1', 'Service', 'billing', APPS);
    await a.edns.syncedSince(Date.now() + 2000, intervalMs + 20_000);
    expect(q(a, foreign)).toEqual(['127.0.62.1']);
    // Only this replica was given the foreign record: take it out again before replicas are compared.
    await pdnsPatch(a, [
      { name: `${foreign}.`, type: 'A', changetype: 'DELETE' },
      { name: `${ownerTxt(foreign)}.`, type: 'TXT', changetype: 'DELETE' },
    ]);
  }, 150_000);

  it('(4) PowerDNS killed and rebuilt from nothing has its zones and every Service record back within one sync', async () => {
    const a = replicas[0];
    await admin.create(loadBalancer('api', `api.${ZONE}`));
    await setLoadBalancerIp('api', '127.0.60.20');
    await admin.create(loadBalancer('docs', `docs.${ZONE}`));
    await setLoadBalancerIp('docs', '127.0.60.21');
    await until(a, `docs.${ZONE}`, 'A', ['127.0.60.21'], Date.now(), intervalMs);
    await until(a, `api.${ZONE}`, 'A', ['127.0.60.20'], Date.now(), intervalMs);

    await a.pdns.kill();
    const removed = a.pdns.deleteDatabase();
    expect(removed.length).toBeGreaterThan(0);
    const t0 = Date.now();
    const init = a.pdns.runInit();
    // A database from Git alone: static records, none of external-dns's.
    expect(a.pdns.databaseRecords(`registry.${ZONE}`)).toEqual(['A 127.0.61.10', 'AAAA fd00:53::10']);
    expect(a.pdns.databaseRecords(`api.${ZONE}`)).toEqual([]);
    await a.pdns.start();
    const staticBack = Date.now() - t0;
    expect(q(a, `registry.${ZONE}`)).toEqual(['127.0.61.10']);
    const apiBack = await until(a, `api.${ZONE}`, 'A', ['127.0.60.20'], t0, intervalMs + 15_000);
    const docsBack = await until(a, `docs.${ZONE}`, 'A', ['127.0.60.21'], t0, 5_000);
    expect(q(a, `shop.${ZONE}`)).toEqual(['127.0.60.9']);
    expect(q(a, ownerTxt(`api.${ZONE}`), 'TXT').join(' ')).toContain(`external-dns/owner=${ownerId}`);
    expect(a.edns.running).toBe(true);
    timings.push(`restart with an empty database: init ${init.ms} ms, static zones served after ${staticBack} ms, Service records after ${apiBack}/${docsBack} ms (next periodic sync; --interval ${intervalMs / 1000}s)`);
  }, 120_000);

  it('(5) two replicas, each with its own database and external-dns, converge to identical answers', async () => {
    const a = replicas[0];
    const t0 = Date.now();
    const b = await startReplica('127.0.53.12');
    const bBack = await until(b, `api.${ZONE}`, 'A', ['127.0.60.20'], t0, intervalMs + 15_000);
    timings.push(`replica B (new pod): init ${b.ms.init} ms, Service records served ${bBack} ms after its start`);
    // A change while both run reaches both, each through its own external-dns.
    await admin.create(loadBalancer('search', `search.${ZONE}`));
    const t1 = Date.now();
    await setLoadBalancerIp('search', '127.0.60.30');
    const [inA, inB] = await Promise.all([until(a, `search.${ZONE}`, 'A', ['127.0.60.30'], t1, intervalMs), until(b, `search.${ZONE}`, 'A', ['127.0.60.30'], t1, intervalMs)]);
    timings.push(`Service search: served by replica A after ${inA} ms, by replica B after ${inB} ms`);
    const now = Date.now();
    await Promise.all([a.edns.syncedSince(now, intervalMs + 10_000), b.edns.syncedSince(now, intervalMs + 10_000)]);
    // Everything but the SOA serial (each PowerDNS counts its own API edits) is identical.
    const withoutSerial = (lines: string[]) => lines.map((l) => l.replace(/^(\S+ \d+ IN SOA \S+ \S+) \d+/, '$1 <serial>'));
    for (const zone of [ZONE, LAB]) {
      const fromA = withoutSerial(axfr(a.pdns.ip, a.pdns.dnsPort, zone));
      const fromB = withoutSerial(axfr(b.pdns.ip, b.pdns.dnsPort, zone));
      expect(fromB, zone).toEqual(fromA);
      expect(fromA.length).toBeGreaterThan(3);
    }
    for (const [name, type] of [[`search.${ZONE}`, 'A'], [`api.${ZONE}`, 'A'], [`shop.${ZONE}`, 'A'], [`registry.${ZONE}`, 'AAAA'], [`web.${ZONE}`, 'A']]) {
      expect(q(b, name, type), name).toEqual(q(a, name, type));
    }
    timings.push(`SOA serials after the same edits: A ${soaSerial(a.pdns.ip, a.pdns.dnsPort, ZONE)}, B ${soaSerial(b.pdns.ip, b.pdns.dnsPort, ZONE)}`);
  }, 150_000);

  it('with the crd source: the DNSEndpoint CRD is accepted, and external-dns publishes one under its ClusterRole', async () => {
    // The same construct with `externalDnsSources` including crd, in its own namespace: a separate "cluster install".
    const chart = new Chart(Testing.app(), 'powerdns-crd', { disableResourceNameHashes: true });
    new PowerDns(chart, 'powerdns', { ...powerDnsPropsOf(pdY), namespace: 'powerdns-crd', externalDnsSources: ['service', 'ingress', 'crd'] });
    const objects = Testing.synth(chart) as KubeObject[];
    const dir = mkdtempSync(join(tmpdir(), 'fleetnet-powerdns-crd-'));
    try {
      objects.forEach((o, i) => writeFileSync(join(dir, `${i}.yaml`), stringify(o)));
      await admin.applyDirectory(dir, { fieldManager: 'argocd' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const variant = powerDnsManifests(objects);
    expect(variant.externalDns.args).toContain('--source=crd');
    const kubeconfig = join(kubeconfigDir, 'kubeconfig-crd');
    writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: await admin.createToken('powerdns-crd', 'powerdns') });
    const c = await startReplica('127.0.53.13', variant, kubeconfig);
    const t0 = Date.now();
    await admin.create({
      apiVersion: 'externaldns.k8s.io/v1alpha1',
      kind: 'DNSEndpoint',
      metadata: { name: 'crd', namespace: APPS },
      spec: { endpoints: [{ dnsName: `crd.${ZONE}`, recordType: 'A', targets: ['127.0.60.40'], recordTTL: 60 }] },
    });
    timings.push(`DNSEndpoint crd: record served ${await until(c, `crd.${ZONE}`, 'A', ['127.0.60.40'], t0, intervalMs)} ms after it was created`);
    // The Services are there too, and the source wrote the status it is allowed to write.
    expect(q(c, `search.${ZONE}`)).toEqual(['127.0.60.30']);
    const stored = await admin.get<KubeObject & { status?: { observedGeneration?: number } }>('externaldns.k8s.io/v1alpha1', 'DNSEndpoint', 'crd', APPS);
    expect(stored?.status?.observedGeneration).toBe(stored?.metadata.generation);
    expect(c.edns.log()).not.toMatch(/forbidden/i);
  }, 120_000);
});
