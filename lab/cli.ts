/**
 * `npm run lab -- <cluster> [--fleet MODULE] [--no-argocd [--bootstrap-argocd]] [--no-wait] [--timeout SECONDS]`   bring a cluster up
 *   (--no-argocd: only the node, for the bootstrap to bring up; it prints the `npm run bootstrap` line;
 *   --bootstrap-argocd: the lab copy in mode argocd, its Git served to Pods by git daemon on the node)
 * `npm run lab -- down [<cluster>...]`                                        tear down (default: all)
 * `npm run lab -- status`                                                     what is up
 */
import { labClusters, labDown, labUp, readLabCluster } from './lab';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log('usage: npm run lab -- <cluster> [--fleet MODULE] [--no-argocd [--bootstrap-argocd]] [--no-wait] [--timeout SECONDS] | down [<cluster>...] | status');
    return command ? 0 : 2;
  }
  if (command === 'down') {
    const problems = await labDown({ clusters: rest.length ? rest : undefined });
    for (const p of problems) console.error(`left behind: ${p}`);
    return problems.length ? 1 : 0;
  }
  if (command === 'status') {
    for (const name of labClusters()) {
      const c = readLabCluster(name);
      console.log(c ? `${name}  node ${c.slot.nodeIP}  KUBECONFIG=${c.kubeconfig}` : `${name}  (partly up or crashed; run: npm run lab -- down ${name})`);
    }
    return 0;
  }
  let fleetModule: string | undefined;
  let wait = true;
  let argocd = true;
  let bootstrapMode: 'fleet' | 'argocd' = 'fleet';
  let timeoutMs: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--fleet') fleetModule = rest[++i];
    else if (rest[i] === '--no-wait') wait = false;
    else if (rest[i] === '--no-argocd') argocd = false;
    else if (rest[i] === '--bootstrap-argocd') bootstrapMode = 'argocd';
    else if (rest[i] === '--timeout') timeoutMs = Number(rest[++i]) * 1000;
    else throw new Error(`unknown option ${rest[i]}; use --fleet MODULE, --no-argocd, --bootstrap-argocd, --no-wait or --timeout SECONDS`);
  }
  if (bootstrapMode === 'argocd' && argocd) throw new Error('--bootstrap-argocd goes with --no-argocd: the bootstrap installs Argo CD then, not the lab');
  try {
    await labUp({ cluster: command, fleetModule, argocd, bootstrapMode, wait, timeoutMs });
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    console.error(`The lab is left as it is for a look (logs in .cache/lab/${command}/logs); clean up with: npm run lab -- down ${command}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
