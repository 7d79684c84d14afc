/**
 * `npm run synth [-- --cluster NAME ...] [--outdir DIR] [--fleet MODULE]`
 *
 * Synthesizes the fleet exported as `fleet` by MODULE (default: the example fleet in clusters/) into
 * DIR (default: $CDK8S_OUTDIR when `cdk8s synth` runs it, else charts-out/ at the repository root) and
 * prints what changed per cluster.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Fleet } from '../fleet/fleet';
import { FleetValidationError } from '../fleet/errors';
import { synthesizeFleet } from './synthesize';

interface Args {
  clusters: string[];
  outdir: string;
  fleetModule: string;
}

function parseArgs(argv: readonly string[]): Args {
  const root = resolve(__dirname, '..');
  const args: Args = { clusters: [], outdir: resolve(process.env.CDK8S_OUTDIR ?? resolve(root, 'charts-out')), fleetModule: resolve(root, 'clusters/index.ts') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
    if (flag === '--cluster') args.clusters.push(value);
    else if (flag === '--outdir') args.outdir = resolve(value);
    else if (flag === '--fleet') args.fleetModule = resolve(value);
    else throw new Error(`unknown option ${flag}; use --cluster NAME, --outdir DIR or --fleet MODULE`);
    i++;
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const mod = (await import(pathToFileURL(args.fleetModule).href)) as { fleet?: Fleet; default?: { fleet?: Fleet } };
  const fleet = mod.fleet ?? mod.default?.fleet;
  if (!fleet) throw new Error(`${args.fleetModule} does not export \`fleet\``);
  const result = synthesizeFleet(fleet, { outdir: args.outdir, clusters: args.clusters.length > 0 ? args.clusters : undefined });
  for (const c of result.clusters) {
    console.log(`${c.cluster.padEnd(16)} ${String(c.stacks).padStart(2)} stacks ${String(c.objects).padStart(4)} objects   +${c.added} ~${c.changed} -${c.removed} files`);
  }
  for (const name of result.removedClusters) console.log(`${name.padEnd(16)} removed (no longer in the fleet)`);
  console.log(`wrote ${args.outdir}`);
}

main().catch((error: unknown) => {
  if (error instanceof FleetValidationError) console.error(error.message);
  else console.error(`synth failed, charts-out is unchanged: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
