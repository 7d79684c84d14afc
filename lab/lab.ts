import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Fleet } from '../fleet/fleet';
import { synthesizeFleet } from '../synth/synthesize';
import { formatMappings, LabFleet, labFleet, LabSlot, slotOf } from './address-map';
import { applyRootApplication, LabKube, makeGitRepo, readKubeconfig, startArgoCd, stopArgoCdFromState, waitForApplications } from './argocd';
import type { LabGitRepo } from './argocd';
import { checkBinaries, startDaemons } from './daemons';
import { addNodeRoutes, ensureHostNetwork, removeHostNetwork, removeNodeRoutes } from './host-network';
import { buildImages, importImages, pauseImageOf } from './images';
import { createNodeSandbox, destroyNodeSandbox } from './node-sandbox';
import { ROOT, stateRoot } from './paths';
import { gitDaemonUrl, startGitDaemon } from './git-daemon';
import { ensurePki } from './pki';
import { PLATFORM_CNI_FILE, platformConflist } from './platform-cni';
import { waitForPodsReady } from './pods';

/**
 * `npm run lab -- <cluster>`: one cluster of the fleet, for real, on this machine. Each step is
 * printed; the state lives in `.cache/lab/<cluster>/` (see paths.ts) so `down` finds everything.
 */

export interface LabUpOptions {
  readonly cluster: string;
  /** A module exporting `fleet`. @default clusters/index.ts */
  readonly fleetModule?: string;
  /**
   * Run the lab's own Argo CD, which syncs the cluster from the lab's Git repository. With `false` only
   * the node comes up (NotReady until a pod network is applied), and the lab copy keeps each cluster's
   * own bootstrap mode: bring it up with the bootstrap (`npm run bootstrap -- <cluster> up --fleet
   * <dir>/fleet.ts --charts-out <dir>/charts-out --kubeconfig <dir>/kubeconfig --context lab-<cluster>`).
   * @default true
   */
  readonly argocd?: boolean;
  /**
   * Without the lab's Argo CD (`argocd: false`): the bootstrap mode of the lab copy. `'fleet'` keeps each
   * cluster's own; `'argocd'` makes it `argocd`, for the bootstrap to install Argo CD as Pods, and the
   * lab then serves its Git repository to those Pods: `git daemon` on the node's address (lab/git-daemon.ts),
   * the copy's `git.repoURL` `git://<node>:9418/repo.git`. Ignored with the lab's Argo CD (always `argocd`).
   * @default 'fleet'
   */
  readonly bootstrapMode?: 'fleet' | 'argocd';
  /** Wait for every Application Synced and Healthy and every Pod Ready (with Argo CD only). @default true */
  readonly wait?: boolean;
  /** Bound on that wait. @default 600000 */
  readonly timeoutMs?: number;
  /**
   * Runs once the node is registered and its images are imported, before Argo CD starts (with Argo CD
   * only): what a cluster already runs when Argo CD first syncs it, such as kubeadm's CoreDNS.
   * @default nothing
   */
  readonly beforeArgoCd?: (node: LabNodeContext) => Promise<void>;
  readonly log?: (line: string) => void;
}

/** What `beforeArgoCd` gets: the node's admin client, the lab copy of charts-out and the node's netns. */
export interface LabNodeContext {
  readonly kube: LabKube;
  /** The admin kubeconfig `kube` uses. */
  readonly kubeconfig: string;
  readonly slot: LabSlot;
  /** The lab copy of charts-out (`<dir>/charts-out`). */
  readonly chartsOut: string;
  /** The node's network namespace (`ip netns exec <netns> …` runs there). */
  readonly netns: string;
}

/** What is running, as saved in `<state>/<cluster>/cluster.json`. */
export interface LabCluster {
  readonly cluster: string;
  readonly slot: LabSlot;
  readonly node: string;
  readonly dir: string;
  readonly kubeconfig: string;
  readonly git: LabGitRepo;
  /** The URL the lab copy's Applications clone (`git.url`, or the git daemon's for Pods). */
  readonly repoURL: string;
  /** Whether the lab's Argo CD runs (see LabUpOptions.argocd). */
  readonly argocd: boolean;
  /** The lab copy of the fleet: a module exporting `fleet` (for `npm run bootstrap -- … --fleet`). */
  readonly fleetModule: string;
  /** Where that copy was synthesized (`--charts-out`). */
  readonly chartsOut: string;
  /** The kubeconfig context of the cluster's admin in `kubeconfig`. */
  readonly context: string;
  readonly timings: Record<string, number>;
}

export async function loadFleet(module?: string): Promise<Fleet> {
  const file = module ?? join(ROOT, 'clusters/index.ts');
  const mod = (await import(pathToFileURL(file).href)) as { fleet?: Fleet; default?: { fleet?: Fleet } };
  const fleet = mod.fleet ?? mod.default?.fleet;
  if (!fleet) throw new Error(`lab: ${file} does not export \`fleet\``);
  return fleet;
}

export function clusterDir(cluster: string): string {
  return join(stateRoot(), cluster);
}

export function readLabCluster(cluster: string): LabCluster | undefined {
  const file = join(clusterDir(cluster), 'cluster.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LabCluster) : undefined;
}

/** Lab clusters with state on disk (running, or left behind by a crash). */
export function labClusters(): string[] {
  if (!existsSync(stateRoot())) return [];
  return readdirSync(stateRoot()).filter((d) => existsSync(join(stateRoot(), d, 'slot.json')));
}

/** Synthesizes the lab copy of the fleet with the project's own synth code into `<dir>/charts-out`. */
export function synthesizeLabFleet(fleet: Fleet, dir: string, repoURL: string, bootstrapMode: 'argocd' | 'fleet' = 'argocd'): LabFleet {
  const lab = labFleet(fleet, { repoURL, bootstrapMode });
  synthesizeFleet(lab.fleet, { outdir: join(dir, 'charts-out') });
  return lab;
}

export async function labUp(options: LabUpOptions): Promise<LabCluster> {
  const log = options.log ?? ((l: string) => console.log(l));
  const begin = Date.now();
  const timings: Record<string, number> = {};
  const mark = (name: string) => (timings[name] = Date.now() - begin);
  if (process.getuid?.() !== 0) throw new Error('lab: run as root (it creates a bridge, network namespaces, cgroups and iptables rules)');
  checkBinaries();
  const withArgoCd = options.argocd ?? true;
  const sourceModule = options.fleetModule ?? join(ROOT, 'clusters/index.ts');
  const fleet = await loadFleet(sourceModule);
  const cluster = fleet.cluster(options.cluster);
  const slot = slotOf(fleet, cluster.name);
  const dir = clusterDir(cluster.name);
  if (existsSync(join(dir, 'slot.json'))) {
    throw new Error(`lab: ${cluster.name} is up already (state in ${dir}); run \`npm run lab -- down ${cluster.name}\` first`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  // Written first: from here on `down` can clean up whatever the next steps leave behind.
  writeFileSync(join(dir, 'slot.json'), `${JSON.stringify(slot, null, 2)}\n`);

  // ---- the lab copy of the fleet, in Git ----
  const bootstrapMode = withArgoCd ? 'argocd' : (options.bootstrapMode ?? 'fleet');
  // Argo CD as Pods (installed by the bootstrap) cannot open a host path: the node serves the repository.
  const gitForPods = !withArgoCd && bootstrapMode === 'argocd';
  const repoURL = gitForPods ? gitDaemonUrl(slot) : `file://${join(dir, 'git', 'repo.git')}`;
  const lab = synthesizeLabFleet(fleet, dir, repoURL, bootstrapMode);
  // The same copy as a module, for the bootstrap's --fleet (it checks charts-out against it).
  const fleetModule = join(dir, 'fleet.ts');
  writeFileSync(fleetModule, [
    '// Written by lab/lab.ts: the lab copy of the fleet that charts-out/ beside this file was synthesized from.',
    `import { fleet as source } from ${JSON.stringify(sourceModule)};`,
    `import { labFleet } from ${JSON.stringify(join(ROOT, 'lab/address-map.ts'))};`,
    `export const fleet = labFleet(source, ${JSON.stringify({ repoURL, bootstrapMode })}).fleet;`,
    '',
  ].join('\n'));
  const { repo, commit } = makeGitRepo(join(dir, 'charts-out'), {
    dir: join(dir, 'git'),
    basePath: fleet.git.basePath,
    branch: fleet.git.revision,
    clusters: [cluster.name],
    message: `charts-out/${cluster.name} of the lab fleet`,
  });
  log(`lab ${cluster.name}: the fleet's addresses are data; the lab runs this copy (synthesized by synth/, committed ${commit.slice(0, 8)} to ${repo.url}):`);
  for (const line of formatMappings(lab.mappings, [cluster.name])) log(`  ${line}`);
  if (cluster.podNetwork.mizar) {
    log(`  note: Mizar cannot run here (XDP daemon, Python operator); the lab runs ${cluster.name} with the CNI install on the same pod range`);
  }
  mark('synthesized');

  // ---- host and node ----
  await ensureHostNetwork(lab.stubResolvers, log);
  // The cluster's own CNI install (the `cni` stack) is its pod network; a cluster without one expects
  // the platform's, which the lab stands in for with the same kind of chain on the mapped podCidr.
  const ownCni = existsSync(join(dir, 'charts-out', cluster.name, 'cni'));
  const platformCni: Record<string, string> = ownCni ? {} : { [PLATFORM_CNI_FILE]: platformConflist(slot.podCidr) };
  const sandbox = await createNodeSandbox(slot, dir, log, platformCni);
  log(ownCni
    ? 'node: no CNI configuration yet: the cluster\'s own cni stack writes it (the node is NotReady until then)'
    : `node: the cluster has no CNI install of its own; the lab provides the platform's: ${PLATFORM_CNI_FILE} (bridge cni0, host-local ${slot.podCidr})`);
  if (gitForPods) {
    await startGitDaemon(sandbox, slot, join(dir, 'git'), join(dir, 'logs', 'git-daemon.log'));
    log(`node: git daemon serves ${repo.bareDir} read-only as ${repoURL} (for Argo CD's Pods)`);
  }
  addNodeRoutes(slot);
  log(`host: routes ${slot.serviceCidr} (Services) and ${slot.podCidr} (pods) via ${slot.nodeIP}`);
  const labCluster = lab.fleet.cluster(cluster.name);
  const node = slot.nodeName;
  const firstServiceIP = slot.serviceCidr.replace(/\.0\/\d+$/, '.1');
  const pki = ensurePki(join(dir, 'pki'), { cluster: cluster.name, node, nodeIP: slot.nodeIP, kubernetesServiceIP: firstServiceIP, clusterDomain: labCluster.clusterDomain });
  const images = buildImages({ argocdPods: gitForPods });
  mark('images built');
  const daemons = await startDaemons({
    slot, node, dir, pki, sandbox,
    clusterDns: labCluster.dns.serviceIP,
    clusterDomain: labCluster.clusterDomain,
    stubResolvers: lab.stubResolvers,
    pauseImage: pauseImageOf(images),
  }, log);
  mark('node registered');
  importImages(daemons.containerdSocket, images);
  log(`node: ${images.length} images imported (${images.map((i) => i.ref).join(', ')})`);
  mark('images imported');

  // ---- Argo CD, and the root Application as the bootstrap applies it ----
  if (withArgoCd && options.beforeArgoCd) {
    const kube = new LabKube(readKubeconfig(daemons.adminKubeconfig));
    try {
      await options.beforeArgoCd({ kube, kubeconfig: daemons.adminKubeconfig, slot, chartsOut: join(dir, 'charts-out'), netns: sandbox.netns });
    } finally {
      kube.close();
    }
    mark('before argocd');
  }
  if (withArgoCd) {
    const argo = await startArgoCd({ kubeconfigPath: daemons.adminKubeconfig, stateDir: dir, name: cluster.name, stopOnExit: false });
    mark('argocd started');
    const argocdFolder = join(dir, 'charts-out', cluster.name, 'argocd');
    const applied = await applyRootApplication(argo.kube, argocdFolder);
    log(`argocd: application-controller and repo-server running; applied ${[...applied.projects.map((p) => `AppProject ${p}`), `Application ${applied.root}`].join(', ')} from charts-out/${cluster.name}/argocd`);
  }

  const kubeconfigFile = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigFile, readFileSync(daemons.adminKubeconfig), { mode: 0o600 });
  const result: LabCluster = {
    cluster: cluster.name, slot, node, dir, kubeconfig: kubeconfigFile, git: repo, repoURL, argocd: withArgoCd,
    fleetModule, chartsOut: join(dir, 'charts-out'), context: `lab-${cluster.name}`, timings,
  };
  writeFileSync(join(dir, 'cluster.json'), `${JSON.stringify(result, null, 2)}\n`);

  if (withArgoCd && (options.wait ?? true)) {
    const kube = new LabKube(readKubeconfig(kubeconfigFile));
    try {
      const apps = await waitForApplications(kube, { timeoutMs: options.timeoutMs ?? 600_000 });
      mark('applications synced and healthy');
      log(`argocd: ${apps.states.length} Applications Synced and Healthy (${(timings['applications synced and healthy'] / 1000).toFixed(1)}s from start)`);
      const pods = await waitForPodsReady(kube, options.timeoutMs ?? 600_000);
      mark('pods ready');
      log(`cluster: ${pods} Pods Ready (${(timings['pods ready'] / 1000).toFixed(1)}s from start)`);
    } finally {
      kube.close();
    }
    writeFileSync(join(dir, 'cluster.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
  log('');
  log(`lab ${cluster.name} is up. Use it with:`);
  log(`  export KUBECONFIG=${kubeconfigFile}`);
  if (withArgoCd) log(`  kubectl get applications -n argocd; kubectl get pods -A`);
  else {
    log(`No Argo CD runs: bring the cluster up (mode ${lab.fleet.cluster(cluster.name).bootstrapMode}) with the bootstrap:`);
    // Argo CD as Pods here: images imported (no registry), no Dex image, and no DNS before cluster-dns.
    const dnsFirst = existsSync(join(dir, 'charts-out', cluster.name, 'cluster-dns')) ? ' --before-argocd cluster-dns' : '';
    const argocdFlags = gitForPods ? ` --no-argocd-dex --argocd-image-pull-policy IfNotPresent${dnsFirst}` : '';
    log(`  npm run bootstrap -- ${cluster.name} preview|up|destroy --fleet ${fleetModule} --charts-out ${result.chartsOut} --kubeconfig ${kubeconfigFile} --context ${result.context}${argocdFlags}`);
  }
  log(`Change it through Git: ${repo.workDir} (push to ${repo.url}). Tear it down: npm run lab -- down ${cluster.name}`);
  return result;
}

export interface LabDownOptions {
  /** @default every lab cluster with state on disk */
  readonly clusters?: readonly string[];
  readonly log?: (line: string) => void;
}

/** Stops clusters and puts the host back; returns problems that remain (empty when all is clean). */
export async function labDown(options: LabDownOptions = {}): Promise<string[]> {
  const log = options.log ?? ((l: string) => console.log(l));
  const problems: string[] = [];
  for (const name of options.clusters ?? labClusters()) {
    const dir = clusterDir(name);
    const slotFile = join(dir, 'slot.json');
    if (!existsSync(slotFile)) {
      log(`lab ${name}: not up`);
      continue;
    }
    const slot = JSON.parse(readFileSync(slotFile, 'utf8')) as LabSlot;
    log(`lab ${name}: stopping`);
    if (await stopArgoCdFromState(dir, { keepLogsIn: join(dir, 'logs', 'argocd') })) log('argocd: stopped');
    problems.push(...(await destroyNodeSandbox(slot, dir, log)).map((p) => `${name}: ${p}`));
    removeNodeRoutes(slot);
    // Keep the logs of the last run for a look; everything else goes.
    const keep = join(stateRoot(), 'last-logs', name);
    rmSync(keep, { recursive: true, force: true });
    mkdirSync(join(stateRoot(), 'last-logs'), { recursive: true });
    if (existsSync(join(dir, 'logs'))) renameSync(join(dir, 'logs'), keep);
    rmSync(dir, { recursive: true, force: true });
    log(`lab ${name}: removed (logs kept in ${keep})`);
  }
  if (labClusters().length === 0) removeHostNetwork(log);
  return problems;
}
