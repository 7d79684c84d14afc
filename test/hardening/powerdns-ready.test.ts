/**
 * PowerDNS takes traffic only after its zones from Git and one sync of external-dns: the synthesized
 * readiness script, run by bash against Debian's PowerDNS and our external-dns build, under the
 * tokens and Secret the manifests name.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeFleet } from '../../synth/synthesize';
import { ControlPlane, startControlPlane } from '../../lab/controlplane/control-plane';
import { KubeClient, KubeObject, writeKubeconfig } from '../../lab/controlplane/kube-client';
import { answers } from '../../lab/dns/dig';
import { LocalExternalDns } from '../../lab/dns/external-dns-process';
import { LocalPowerDns } from '../../lab/dns/powerdns-process';
import { loadPowerDnsManifests, PowerDnsManifests } from '../../lab/dns/powerdns-manifests';
import { waitFor } from '../../lab/process';
import { pdY, powerdnsFleet } from '../powerdns/test-fleet';

const IP = '127.0.53.21';
let outdir: string;
let cp: ControlPlane;
let admin: KubeClient;
let manifests: PowerDnsManifests;
let secrets: Record<string, Record<string, string>>;
let kubeconfig: string;
let pdns: LocalPowerDns | undefined;
let edns: LocalExternalDns | undefined;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'fleetnet-pdns-ready-'));
  synthesizeFleet(powerdnsFleet, { outdir });
  manifests = loadPowerDnsManifests(join(outdir, pdY.name, 'powerdns'));
  cp = await startControlPlane({ name: 'pdns-ready' });
  admin = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  await admin.applyDirectory(join(outdir, pdY.name, 'powerdns'), { fieldManager: 'argocd' });
  const ref = manifests.init.env!.find((e) => e.valueFrom?.secretKeyRef)!.valueFrom!.secretKeyRef!;
  secrets = { [ref.name]: { [ref.key]: randomBytes(18).toString('base64url') } };
  await admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: ref.name, namespace: 'powerdns' }, stringData: secrets[ref.name] } as KubeObject);
  kubeconfig = join(outdir, 'kubeconfig');
  writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: await admin.createToken('powerdns', 'powerdns') });
}, 180_000);

afterAll(async () => {
  await edns?.stop();
  await pdns?.stop();
  admin?.close();
  await cp?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
}, 60_000);

/** Runs the synthesized readiness script as the kubelet's exec probe would, pointed at the local processes (external-dns's metrics port is the synthesized one). */
function probe(): { ready: boolean; says: string } {
  const script = manifests.config['ready.sh'];
  const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, READY_HOST: IP, DNS_PORT: String(pdns!.dnsPort) } });
  return { ready: run.status === 0, says: `${run.stdout}${run.stderr}`.trim() };
}

describe('PowerDNS readiness', () => {
  it('the container is probed with the script, not a TCP check', () => {
    const probeSpec = (manifests.pdns as unknown as { readinessProbe: unknown }).readinessProbe as { exec?: { command: string[] }; tcpSocket?: unknown };
    expect(probeSpec.exec?.command.join(' ')).toMatch(/bash \S+\/ready\.sh$/);
    expect(probeSpec.tcpSocket).toBeUndefined();
  });

  it('is not ready while PowerDNS answers but external-dns has not synced, and ready after its first sync', async () => {
    pdns = new LocalPowerDns({ manifests, ip: IP, secrets });
    pdns.runInit();
    await pdns.start();
    // The zones from Git are served: a TCP check would call this pod ready now.
    expect(answers(IP, pdns.dnsPort, pdY.dns.zones![0].name, 'SOA').length).toBe(1);
    expect(probe()).toEqual({ ready: false, says: 'external-dns is not serving metrics yet' });

    edns = new LocalExternalDns({ container: manifests.externalDns, ip: IP, pdnsApiUrl: pdns.apiUrl, kubeconfig, secrets });
    await edns.start();
    const ready = await waitFor('the readiness script to pass', async () => (probe().ready ? true : undefined), { timeoutMs: 40_000, state: () => JSON.stringify(probe()), intervalMs: 250 });
    expect(ready).toBe(true);
    // It passed because external-dns synced once, which its own metric says.
    const metrics = await (await fetch(`${edns.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^external_dns_controller_last_sync_timestamp_seconds [1-9]/m);
  }, 90_000);
});
