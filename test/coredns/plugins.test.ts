/**
 * Our CoreDNS build (images/coredns) against the Corefiles we actually ship: every directive of every
 * Corefile in the committed charts-out/ is compiled in and has a slot in the directive order, the two
 * external plugins are there, the version is go.mod's, and an unknown directive stops the binary.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COREDNS_BINARY } from '../../lab/dns/coredns-process';
import { freePort } from '../../lab/process';
import { shippedCorefiles } from './shipped-corefiles';

const ROOT = resolve(__dirname, '../..');
const IMAGE_DIR = join(ROOT, 'images/coredns');
const scratch = mkdtempSync(join(tmpdir(), 'fleetnet-coredns-plugins-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * The plugin directives of a Corefile: the first token of each line directly inside a server block
 * (depth 1). Blocks open and close on `{` / `}` tokens; quoted tokens (e.g. a template's `{{ .Name }}`)
 * and `#` comments do not count.
 */
function directivesOf(corefile: string): string[] {
  const found = new Set<string>();
  let depth = 0;
  corefile.split('\n').forEach((line, i) => {
    const tokens: string[] = [];
    for (const m of line.matchAll(/"(?:[^"\\]|\\.)*"|\S+/g)) {
      if (m[0].startsWith('#')) break;
      tokens.push(m[0]);
    }
    if (tokens.length === 0) return;
    if (depth === 1 && tokens[0] !== '}') found.add(tokens[0]);
    for (const t of tokens) depth += t === '{' ? 1 : t === '}' ? -1 : 0;
    if (depth < 0) throw new Error(`line ${i + 1}: '}' without a block:\n${corefile}`);
  });
  if (depth !== 0) throw new Error(`unbalanced braces (depth ${depth} at the end):\n${corefile}`);
  return [...found].sort();
}

/** What `coredns -plugins` lists: `dns.<name>` lines when it prefixes them with the server type, else bare names. */
function listedPlugins(output: string): Set<string> {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.endsWith(':'));
  const prefixed = lines.filter((l) => l.startsWith('dns.'));
  const names = prefixed.length > 0 ? prefixed.map((l) => l.slice('dns.'.length)) : lines;
  return new Set(names.filter((n) => /^[a-z0-9_]+$/.test(n)));
}

/** main.go's `directives` list: the plugin chain order, and the only names a Corefile may use. */
function orderedDirectives(): string[] {
  const block = /var directives = \[\]string\{([^}]*)\}/.exec(readFileSync(join(IMAGE_DIR, 'main.go'), 'utf8'))?.[1];
  if (!block) throw new Error('images/coredns/main.go: no `var directives = []string{...}`');
  return [...block.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** The CoreDNS version go.mod requires, without the `v`. */
function coreDnsVersion(): string {
  const v = /^\s*github\.com\/coredns\/coredns\s+v(\S+)/m.exec(readFileSync(join(IMAGE_DIR, 'go.mod'), 'utf8'))?.[1];
  if (!v) throw new Error('images/coredns/go.mod does not require github.com/coredns/coredns');
  return v;
}

function runBinary(args: string[], timeoutMs = 20_000) {
  const run = spawnSync(COREDNS_BINARY, args, { cwd: scratch, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${COREDNS_BINARY} is missing: run \`bash images/coredns/build.sh\``);
  }
  return { status: run.status, signal: run.signal, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

const corefiles = shippedCorefiles();
let plugins: Set<string>;
let pluginsOutput: string;

beforeAll(() => {
  const run = runBinary(['-plugins']);
  pluginsOutput = run.output;
  if (run.status !== 0) throw new Error(`coredns -plugins exited ${run.status} ${run.signal ?? ''}:\n${run.output}`);
  plugins = listedPlugins(run.output);
});

describe('the Corefiles in charts-out/', () => {
  it('are found: one cluster-dns per cluster, and the gateway and authority Corefiles', () => {
    const clusters = readdirSync(join(ROOT, 'charts-out'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(corefiles.filter((c) => c.stack === 'cluster-dns')).toHaveLength(clusters.length);
    expect(corefiles.some((c) => c.stack === 'cluster-gateway'), 'a cluster-gateway Corefile').toBe(true);
    expect(corefiles.some((c) => c.stack === 'tier-authority'), 'a tier-authority Corefile').toBe(true);
  });

  it.each(corefiles.map((c) => [c.file, c] as const))('%s: every directive is compiled in and has a slot in the order', (_file, c) => {
    const used = directivesOf(c.corefile);
    expect(used.length, 'directives found').toBeGreaterThan(2);
    const order = orderedDirectives();
    expect(used.filter((d) => !plugins.has(d)), `not listed by coredns -plugins:\n${pluginsOutput}`).toEqual([]);
    // Registered is not enough: a name missing from main.go's `directives` is an unknown directive.
    expect(used.filter((d) => !order.includes(d)), 'not in main.go `directives`').toEqual([]);
  });
});

describe('the binary', () => {
  it('lists the external plugins fanout and k8s_gateway', () => {
    expect(plugins.has('fanout'), pluginsOutput).toBe(true);
    expect(plugins.has('k8s_gateway'), pluginsOutput).toBe(true);
  });

  it('lists our own plugin fleetfanout (images/coredns/plugin/fleetfanout)', () => {
    expect(plugins.has('fleetfanout'), pluginsOutput).toBe(true);
  });

  it('has every directive of main.go compiled in', () => {
    expect(orderedDirectives().filter((d) => !plugins.has(d))).toEqual([]);
  });

  // Read from go.mod (v1.14.7 today), so a Renovate bump of go.mod does not need a test edit.
  it('is the CoreDNS version go.mod pins', () => {
    const version = coreDnsVersion();
    const run = runBinary(['-version']);
    expect(run.status, run.output).toBe(0);
    expect(run.output.split('\n')[0].trim()).toBe(`CoreDNS-${version}`);
  });

  it.each([
    ['nosuchplugin', 'a name no plugin registers'],
    ['debug', 'registered by a dependency of fanout, but not in the order'],
  ])('refuses the unknown directive %s (%s): exits non-zero naming it', async (directive) => {
    const port = await freePort();
    const conf = join(scratch, `Corefile.${directive}`);
    writeFileSync(conf, `.:${port} {\n    bind 127.0.0.1\n    errors\n    ${directive}\n}\n`);
    const run = runBinary(['-conf', conf], 15_000);
    expect(run.signal, `still running after 15 s, so it accepted the Corefile:\n${run.output}`).toBeNull();
    expect(run.status, run.output).not.toBe(0);
    expect(run.output).toContain(`Unknown directive '${directive}'`);
  });
});
