import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A local Git repository for Argo CD to sync from: a bare repository (the `file://` repoURL) and a work
 * tree the lab commits and pushes from, as a platform engineer pushes to the fleet's repository.
 */

export interface LabGitRepo {
  /** `file://<bare>`: what Argo CD clones. */
  readonly url: string;
  readonly bareDir: string;
  readonly workDir: string;
  readonly branch: string;
  /** Folder of charts-out inside the repository (the fleet's `git.basePath`). */
  readonly basePath: string;
  /** The fleet's repoURL that the Applications name, replaced by `url` in every commit. */
  readonly mapsRepoUrl?: string;
}

export interface MakeGitRepoOptions {
  /** Folder to create the repository in (`<dir>/repo.git` and `<dir>/work`); replaced when it exists. */
  readonly dir: string;
  /** @default 'charts-out' (the fleet's git.basePath) */
  readonly basePath?: string;
  /** @default 'main' (the fleet's git.revision) */
  readonly branch?: string;
  /**
   * The fleet's repoURL (clusters/index.ts `git.repoURL`). Wherever the committed YAML names it (repoURL,
   * sourceRepos), it names the local repository instead: the lab's mapping of the fleet's Git server, which it never
   * contacts. @default - nothing replaced
   */
  readonly fleetRepoUrl?: string;
  /** Only these clusters' folders of charts-out. @default - all of them */
  readonly clusters?: readonly string[];
  /** @default 'charts-out as synthesized' */
  readonly message?: string;
}

const GIT_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: '/nonexistent',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'fleetnet lab',
  GIT_AUTHOR_EMAIL: 'lab@fleetnet.invalid',
  GIT_COMMITTER_NAME: 'fleetnet lab',
  GIT_COMMITTER_EMAIL: 'lab@fleetnet.invalid',
};

export function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', [...args], { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`git ${args.join(' ')} in ${cwd} failed (is git installed?): ${err.stderr?.trim() || err.message}`);
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    return e.isDirectory() ? yamlFiles(full) : e.name.endsWith('.yaml') ? [full] : [];
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces the fleet's repoURL by the lab's wherever the YAML under `dir` names it (Applications'
 * `repoURL`, AppProjects' `sourceRepos`); returns how many files changed.
 */
function mapRepoUrl(dir: string, from: string, to: string): number {
  const url = new RegExp(`(?<=[\\s"'])${escapeRegExp(from)}(?=["']?\\s*$)`, 'gm');
  let changed = 0;
  for (const file of yamlFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const mapped = text.replace(url, to);
    if (mapped !== text) {
      writeFileSync(file, mapped);
      changed++;
    }
  }
  return changed;
}

/** Commits everything in the work tree and pushes it; returns the new commit (or HEAD when nothing changed). */
function commitAndPush(repo: LabGitRepo, message: string): string {
  if (repo.mapsRepoUrl) mapRepoUrl(join(repo.workDir, repo.basePath), repo.mapsRepoUrl, repo.url);
  git(repo.workDir, ['add', '-A']);
  if (git(repo.workDir, ['status', '--porcelain']) !== '') git(repo.workDir, ['commit', '-q', '-m', message]);
  git(repo.workDir, ['push', '-q', 'origin', `HEAD:refs/heads/${repo.branch}`]);
  return git(repo.workDir, ['rev-parse', 'HEAD']);
}

/**
 * Creates the repository with one commit holding `chartsOutDir` at `<basePath>/`; returns it and the
 * commit. Folders and files other than charts-out are not copied.
 */
export function makeGitRepo(chartsOutDir: string, options: MakeGitRepoOptions): { repo: LabGitRepo; commit: string } {
  const dir = resolve(options.dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const branch = options.branch ?? 'main';
  const basePath = options.basePath ?? 'charts-out';
  const bareDir = join(dir, 'repo.git');
  const workDir = join(dir, 'work');
  git(dir, ['init', '-q', '--bare', `--initial-branch=${branch}`, bareDir]);
  git(dir, ['init', '-q', `--initial-branch=${branch}`, workDir]);
  git(workDir, ['remote', 'add', 'origin', bareDir]);
  const target = join(workDir, basePath);
  mkdirSync(target, { recursive: true });
  const clusters = options.clusters ?? readdirSync(chartsOutDir).filter((n) => statSync(join(chartsOutDir, n)).isDirectory());
  for (const cluster of clusters) {
    const from = join(chartsOutDir, cluster);
    if (!statSync(from, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`makeGitRepo: ${from} is not a folder of charts-out (run \`npm run synth\`)`);
    cpSync(from, join(target, cluster), { recursive: true });
  }
  const repo: LabGitRepo = { url: `file://${bareDir}`, bareDir, workDir, branch, basePath, mapsRepoUrl: options.fleetRepoUrl };
  return { repo, commit: commitAndPush(repo, options.message ?? 'charts-out as synthesized') };
}

/**
 * Changes the work tree with `change(workDir)` (edit, add or remove files), commits and pushes; returns
 * the new commit. Follow with `requestRefresh` to have Argo CD look at once instead of at its next resync.
 */
export function pushCommit(repo: LabGitRepo, message: string, change: (workDir: string) => void): string {
  const before = git(repo.workDir, ['rev-parse', 'HEAD']);
  change(repo.workDir);
  const after = commitAndPush(repo, message);
  if (after === before) throw new Error(`pushCommit "${message}": the change left the work tree as it was, so nothing was committed`);
  return after;
}
