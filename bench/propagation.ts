/**
 * `npm run bench:propagation`: how long from a Service getting its LoadBalancer IP (the status patch
 * MetalLB makes) until its name
 *   - is answered by the cluster's gateway (k8s_gateway's watch on the API server),
 *   - resolves through the tier authority (fanout to that gateway, behind the authority's cache),
 *   - is served by the cluster's PowerDNS (external-dns's path: watch, sync, PowerDNS API).
 * Real processes as in the tests: one control plane with the synthesized gateway and powerdns stacks
 * applied, our CoreDNS build with the synthesized Corefiles, Debian's PowerDNS and external-dns (from
 * .cache/bin) run from the synthesized manifests under the ServiceAccount token they define.
 * Each path is polled every POLL_MS with a UDP query from node, so POLL_MS bounds the resolution.
 * Options: --runs 10 (at most 30)  --poll-ms 50
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeStacks } from '../lab/controlplane/rendered';
import { KubeObject, writeKubeconfig } from '../lab/controlplane/kube-client';
import { LocalExternalDns } from '../lab/dns/external-dns-process';
import { LocalPowerDns } from '../lab/dns/powerdns-process';
import { loadPowerDnsManifests } from '../lab/dns/powerdns-manifests';
import { percentile } from './dnsperf';
import { DnsLab, setLoadBalancerIp } from '../lab/dns/dns-lab';
import { queryA, UdpAnswer } from '../lab/dns/udp-query';
import { sleep } from '../lab/process';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const RUNS = Math.min(30, Number(option('runs', '10')));
const POLL_MS = Number(option('poll-ms', '50'));
/** Bound on one path of one run. */
const PATH_TIMEOUT_MS = 45_000;
const RUN = randomBytes(3).toString('hex');

interface PathResult { ms: number; firstAnswer: string; polls: number }

/** Polls `ask` every POLL_MS (bounded) from now until it answers `ip`; `since` is the clock's zero. */
async function poll(ask: () => Promise<UdpAnswer>, ip: string, since: number): Promise<PathResult> {
  let firstAnswer = '';
  const maxPolls = Math.ceil(PATH_TIMEOUT_MS / POLL_MS);
  for (let polls = 1; polls <= maxPolls && Date.now() - since < PATH_TIMEOUT_MS; polls++) {
    const sent = Date.now();
    const answer = await ask();
    if (!firstAnswer) firstAnswer = answer.a.length > 0 ? answer.a.join(',') : answer.rcode;
    if (answer.a.includes(ip)) return { ms: Date.now() - since, firstAnswer, polls };
    await sleep(Math.max(0, POLL_MS - (Date.now() - sent)));
  }
  throw new Error(`no answer ${ip} within ${PATH_TIMEOUT_MS} ms (first answer ${firstAnswer})`);
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`bench:propagation — ${RUNS} runs, polling every ${POLL_MS} ms`);
  const lab = await DnsLab.start({ workloads: 1, controlPlanes: 1, powerdns: true, extraStacksOfFirst: ['powerdns'] });
  let pdns: LocalPowerDns | undefined;
  let edns: LocalExternalDns | undefined;
  const results: { gateway: PathResult; authority: PathResult; powerdns: PathResult; patchMs: number }[] = [];
  try {
    const w0 = lab.bench.workloads[0];
    const { admin, cp } = lab.controlPlanes[0];
    const authority = await lab.startAuthority(1);
    void authority;

    // PowerDNS + external-dns exactly as the PowerDNS tests run them from the synthesized stack.
    const manifests = loadPowerDnsManifests(join(writeStacks(join(lab.work, 'pdns'), lab.bench.fleet, w0, ['powerdns']), 'powerdns'));
    const args = manifests.externalDns.args ?? [];
    const annotationPrefix = args.find((a) => a.startsWith('--annotation-prefix='))!.split('=')[1];
    const secretRef = manifests.init.env!.find((e) => e.valueFrom?.secretKeyRef)!.valueFrom!.secretKeyRef!;
    const apiKey = randomBytes(18).toString('base64url');
    await admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secretRef.name, namespace: 'powerdns' }, stringData: { [secretRef.key]: apiKey } } as KubeObject);
    const secrets = { [secretRef.name]: { [secretRef.key]: apiKey } };
    const sa = (manifests.deployment.spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName;
    const kubeconfig = join(lab.work, 'powerdns.kubeconfig');
    writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: await admin.createToken('powerdns', sa, { expirationSeconds: 7200 }) });
    pdns = new LocalPowerDns({ manifests, ip: w0.dns.powerdnsIP!, secrets });
    pdns.runInit();
    await pdns.start();
    edns = new LocalExternalDns({ container: manifests.externalDns, ip: pdns.ip, pdnsApiUrl: pdns.apiUrl, kubeconfig, secrets });
    await edns.start();
    const flags = args.filter((a) => /^--(events|interval|min-event-sync-interval)/.test(a)).join(' ');
    console.log(`  control plane, gateway, authority, PowerDNS and external-dns (${flags}) up in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    // All Services first, without an address; then one external-dns sync that has seen them, so each
    // status patch below is the only change the next sync has to make.
    const name = (i: number, zone: string) => `p${RUN}-${i}.${zone}`;
    const ip = (i: number) => `127.0.84.${i + 1}`;
    const createdAt = Date.now();
    for (let i = 0; i < RUNS; i++) {
      await lab.exposeService(admin, `p${i}`, { 'coredns.io/hostname': name(i, lab.zone), [`${annotationPrefix}hostname`]: name(i, lab.bench.staticZone) });
    }
    await edns.syncedSince(createdAt, 60_000);

    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now();
      await setLoadBalancerIp(admin, `p${i}`, ip(i));
      const patchMs = Date.now() - t0;
      const [gateway, viaAuthority, powerdns] = await Promise.all([
        poll(() => queryA(lab.gatewayIp(0), 53, name(i, lab.zone), 1000), ip(i), t0),
        poll(() => queryA(lab.authorityIp, 53, name(i, lab.zone), 3000), ip(i), t0),
        poll(() => queryA(pdns!.ip, pdns!.dnsPort, name(i, lab.bench.staticZone), 1000), ip(i), t0),
      ]);
      results.push({ gateway, authority: viaAuthority, powerdns, patchMs });
      console.log(`  run ${i + 1}: status patch ${patchMs} ms; gateway ${gateway.ms} ms, authority ${viaAuthority.ms} ms (first answer ${viaAuthority.firstAnswer}), PowerDNS ${powerdns.ms} ms (first answer ${powerdns.firstAnswer})`);
    }
  } finally {
    await edns?.stop();
    await pdns?.stop();
    await lab.stop();
  }

  const stats = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), max: sorted[sorted.length - 1], min: sorted[0] };
  };
  console.log(`\n| path (from the status patch being sent) | p50 ms | max ms | min ms | runs whose first poll was not the answer |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const [label, key] of [['gateway answers (k8s_gateway watch)', 'gateway'], ['resolves through the tier authority', 'authority'], ['served by PowerDNS (external-dns)', 'powerdns']] as const) {
    const s = stats(results.map((r) => r[key].ms));
    const missed = results.filter((r) => r[key].polls > 1).length;
    console.log(`| ${label} | ${s.p50} | ${s.max} | ${s.min} | ${missed}/${results.length} |`);
  }
  const patch = stats(results.map((r) => r.patchMs));
  console.log(`\nstatus patch round trip: p50 ${patch.p50} ms, max ${patch.max} ms; polling every ${POLL_MS} ms, so each time is known to within ${POLL_MS} ms plus one query`);
  const cpu = execFileSync('sh', ['-c', "lscpu | grep 'Model name' | sed 's/.*: *//'"], { encoding: 'utf8' }).trim();
  console.log(`${new Date().toISOString()}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores (${cpu}), total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
