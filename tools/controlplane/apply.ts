/**
 * Applies one cluster's synthesized manifests (charts-out/<CLUSTER>) to a real, throwaway control plane
 * (etcd + kube-apiserver on 127.0.0.1, see lab/controlplane/README.md), prints what the API server said
 * about every object, and stops it.
 *
 *   npx tsx tools/controlplane/apply.ts CLUSTER [--dry-run] [--skip-kind KIND]... [--hold SECONDS]
 *
 *   --dry-run          server-side apply with dryRun=All (objects of CRDs in the folder cannot be checked then)
 *   --skip-kind KIND   do not apply objects of this kind (e.g. Application when Argo CD's CRDs are absent)
 *   --hold SECONDS     keep the control plane up that long (at most 3600) after applying, with a kubeconfig
 *
 * Exits 0 when every object was accepted, 1 when any was rejected, 2 on a usage or start-up error.
 * Build the binaries first with tools/controlplane/build.sh (npm test does).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fleet } from '../../clusters';
import { startControlPlane } from '../../lab/controlplane/control-plane';
import { ApplyError, ApplyResult, KubeClient, writeKubeconfig } from '../../lab/controlplane/kube-client';

const root = resolve(__dirname, '../..');

function usage(message: string): never {
  console.error(`${message}\nusage: npx tsx tools/controlplane/apply.ts CLUSTER [--dry-run] [--skip-kind KIND]... [--hold SECONDS]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { cluster: string; dryRun: boolean; skipKinds: Set<string>; holdSeconds: number } {
  let cluster: string | undefined;
  let dryRun = false;
  let holdSeconds = 0;
  const skipKinds = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dry-run') dryRun = true;
    else if (a === '--skip-kind') skipKinds.add(argv[++i] ?? usage('--skip-kind needs a kind'));
    else if (a === '--hold') {
      holdSeconds = Number(argv[++i]);
      if (!Number.isInteger(holdSeconds) || holdSeconds < 0 || holdSeconds > 3600) usage('--hold takes whole seconds, 0..3600');
    } else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (cluster) usage(`one cluster at a time (got ${cluster} and ${a})`);
    else cluster = a;
  }
  if (!cluster) usage('which cluster?');
  return { cluster, dryRun, skipKinds, holdSeconds };
}

function line(r: ApplyResult): string {
  const id = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  return `${r.ok ? 'ok  ' : 'FAIL'} ${(r.file ?? '').padEnd(60)} ${id}${r.ok ? '' : `\n       ${r.status ? `${r.status} ` : ''}${r.message}`}`;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const dir = join(root, 'charts-out', args.cluster);
  if (!existsSync(dir)) {
    const known = existsSync(join(root, 'charts-out')) ? readdirSync(join(root, 'charts-out')).filter((d) => !d.includes('.')) : [];
    usage(`no folder ${dir} (run npm run synth); clusters: ${known.join(', ') || 'none'}`);
  }
  // Fixed clusterIPs (e.g. the DNS Service's) must fall in the Service range, so use the cluster's own.
  const serviceCidr = fleet.clusters.find((c) => c.name === args.cluster)?.podNetwork.serviceCidr;

  const started = Date.now();
  const cp = await startControlPlane({ name: args.cluster, serviceClusterIpRange: serviceCidr });
  console.log(`control plane for ${args.cluster} ready at ${cp.url} in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in ${cp.dir})`);
  const client = new KubeClient({ server: cp.url, caPem: cp.caPem, token: cp.adminToken });
  let results: ApplyResult[];
  try {
    try {
      results = await client.applyDirectory(dir, {
        fieldManager: 'fleetnet-apply',
        dryRun: args.dryRun,
        filter: (o) => !args.skipKinds.has(o.kind),
      });
    } catch (e) {
      if (!(e instanceof ApplyError)) throw e;
      results = [...e.results];
    }
    for (const r of results) console.log(line(r));
    const failed = results.filter((r) => !r.ok);
    console.log(`\n${args.cluster}: ${results.length - failed.length} applied, ${failed.length} rejected${args.dryRun ? ' (dry run)' : ''}`);
    if (args.holdSeconds > 0) {
      const kubeconfig = join(cp.dir, 'kubeconfig');
      writeKubeconfig(kubeconfig, { server: cp.url, caPem: cp.caPem, token: cp.adminToken, name: args.cluster });
      console.log(`holding for ${args.holdSeconds} s: KUBECONFIG=${kubeconfig} (Ctrl-C stops it too)`);
      await new Promise((r) => setTimeout(r, args.holdSeconds * 1000));
    }
    return failed.length > 0 ? 1 : 0;
  } finally {
    client.close();
    await cp.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
