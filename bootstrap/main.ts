/**
 * `npm run bootstrap -- <cluster> preview|up|destroy`: the bootstrap program through the Pulumi
 * Automation API as an inline program (no Node.js language host), with the CLI and Kubernetes
 * provider built by tools/pulumi/build.sh. Stack settings come from bootstrap/Pulumi.<cluster>.yaml,
 * as for `pulumi up`; `--context` and `--kubeconfig` override them. `--fleet <module>` (exporting
 * `fleet`) and `--charts-out <dir>` run another copy of the fleet than clusters/ and charts-out/, e.g. the
 * lab's (`.cache/lab/<cluster>/fleet.ts` and `charts-out/`); the freshness check and the context guard
 * then compare against that copy. `--no-argocd-dex`, `--argocd-image-pull-policy` and `--before-argocd` (or the
 * settings `argocdDex: "false"`, `argocdImagePullPolicy`, `beforeArgoCd`) adapt mode argocd. See README.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { Fleet } from '../fleet/fleet';
import type { ImagePullPolicy } from './argocd-install';
import { OPERATIONS, runBootstrap, type Operation } from './automation';
import { stackList } from './program';

const USAGE = 'usage: npm run bootstrap -- <cluster> preview|up|destroy [--context <kubeconfig context>] [--kubeconfig <file>] [--fleet <module> --charts-out <dir>] [--no-argocd-dex] [--argocd-image-pull-policy Always|IfNotPresent|Never] [--before-argocd <stack,...>]';

/** The fleet of `module` (default clusters/index.ts): its export `fleet`. */
async function loadFleet(module: string | undefined): Promise<Fleet> {
  const file = resolve(module ?? join(__dirname, '..', 'clusters', 'index.ts'));
  const mod = (await import(pathToFileURL(file).href)) as { fleet?: Fleet; default?: { fleet?: Fleet } };
  const fleet = mod.fleet ?? mod.default?.fleet;
  if (!fleet) throw new Error(`${file} does not export \`fleet\`. Fix: pass --fleet a module with \`export const fleet = fleet({ … })\``);
  return fleet;
}

function stackSettings(cluster: string): Record<string, string> {
  const file = join(__dirname, `Pulumi.${cluster}.yaml`);
  if (!existsSync(file)) return {};
  const config = (parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | null)?.config ?? {};
  const prefix = 'fleetnet-bootstrap:';
  return Object.fromEntries(Object.entries(config).filter(([k, v]) => k.startsWith(prefix) && (typeof v === 'string' || typeof v === 'boolean')).map(([k, v]) => [k.slice(prefix.length), String(v)]));
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { context: { type: 'string' }, kubeconfig: { type: 'string' }, fleet: { type: 'string' }, 'charts-out': { type: 'string' }, 'no-argocd-dex': { type: 'boolean' }, 'argocd-image-pull-policy': { type: 'string' }, 'before-argocd': { type: 'string' } } });
  const [cluster, operation] = positionals;
  if (!cluster || !OPERATIONS.includes(operation as Operation) || positionals.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  if ((values.fleet === undefined) !== (values['charts-out'] === undefined)) {
    console.error('--fleet and --charts-out go together: the charts-out folder must be what that fleet synthesizes to');
    return 2;
  }
  const fleet = await loadFleet(values.fleet);
  const settings = stackSettings(cluster);
  const run = await runBootstrap({
    operation: operation as Operation,
    program: {
      fleet,
      stack: cluster,
      chartsOut: values['charts-out'] ? resolve(values['charts-out']) : resolve(__dirname, '..', fleet.git.basePath),
      kubeconfigContext: values.context ?? settings.kubeconfigContext,
      kubeconfig: values.kubeconfig ?? settings.kubeconfig,
      argocdManifest: settings.argocdManifest,
      argocdDex: values['no-argocd-dex'] ? false : settings.argocdDex === undefined ? undefined : settings.argocdDex !== 'false',
      beforeArgoCd: stackList(values['before-argocd'] ?? settings.beforeArgoCd),
      argocdImagePullPolicy: (values['argocd-image-pull-policy'] ?? settings.argocdImagePullPolicy) as ImagePullPolicy | undefined,
    },
    onOutput: (text) => process.stdout.write(text),
  });
  console.log(`${operation} of ${cluster}: ${JSON.stringify(run.changes)} in ${(run.durationMs / 1000).toFixed(1)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bootstrap: ${error.message}`);
    process.exit(1);
  },
);
