/**
 * `npm run bootstrap -- <cluster> preview|up|destroy`: the bootstrap program through the Pulumi
 * Automation API as an inline program (no Node.js language host), with the CLI and Kubernetes
 * provider built by tools/pulumi/build.sh. Stack settings come from bootstrap/Pulumi.<cluster>.yaml,
 * as for `pulumi up`; `--context` and `--kubeconfig` override them. See README.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { fleet } from '../clusters/index';
import { OPERATIONS, runBootstrap, type Operation } from './automation';

const USAGE = 'usage: npm run bootstrap -- <cluster> preview|up|destroy [--context <kubeconfig context>] [--kubeconfig <file>]';

function stackSettings(cluster: string): Record<string, string> {
  const file = join(__dirname, `Pulumi.${cluster}.yaml`);
  if (!existsSync(file)) return {};
  const config = (parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | null)?.config ?? {};
  const prefix = 'fleetnet-bootstrap:';
  return Object.fromEntries(Object.entries(config).filter(([k, v]) => k.startsWith(prefix) && typeof v === 'string').map(([k, v]) => [k.slice(prefix.length), v as string]));
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { context: { type: 'string' }, kubeconfig: { type: 'string' } } });
  const [cluster, operation] = positionals;
  if (!cluster || !OPERATIONS.includes(operation as Operation) || positionals.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const settings = stackSettings(cluster);
  const run = await runBootstrap({
    operation: operation as Operation,
    program: {
      fleet,
      stack: cluster,
      chartsOut: resolve(__dirname, '..', fleet.git.basePath),
      kubeconfigContext: values.context ?? settings.kubeconfigContext,
      kubeconfig: values.kubeconfig ?? settings.kubeconfig,
      argocdManifest: settings.argocdManifest,
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
