import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChartsOut } from '../manifests/load';

/**
 * The writer shell of the CNI install, taken from the synthesized DaemonSet, run by busybox (the
 * catalog's writer image is busybox) as uid 0 with every capability dropped and no_new_privs, as the
 * DaemonSet runs it. Host directories are temporary directories owned by root, mode 0755.
 */

type Container = { command: string[]; env: { name: string; value: string }[]; readinessProbe: { exec: { command: string[] } }; livenessProbe: { exec: { command: string[] } } };

function synthesizedWriter(): { file: string; container: Container } {
  const ds = loadChartsOut(resolve(__dirname, '../../charts-out')).find((o) => o.stack === 'cni' && o.object.kind === 'DaemonSet');
  if (!ds) throw new Error('no cni DaemonSet in charts-out: run npm run synth');
  const spec = ds.object.spec as { template: { spec: { containers: Container[] } } };
  return { file: ds.file, container: spec.template.spec.containers[0] };
}

const { file, container } = synthesizedWriter();
const work = mkdtempSync(join(tmpdir(), 'fleetnet-writer-'));
const dirs = { src: join(work, 'configmap'), netd: join(work, 'net.d'), bin: join(work, 'bin'), plugins: join(work, 'plugins'), run: join(work, 'run') };
const confFile = container.env.find((e) => e.name === 'CONF_FILE')!.value;
const NODE = 'node-a';
const env = {
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  NODE_NAME: NODE,
  CONF_SRC: dirs.src,
  CONF_DIR: dirs.netd,
  CONF_FILE: confFile,
  INTERVAL: '1',
  HEARTBEAT: join(dirs.run, 'heartbeat'),
  PLUGIN_SRC: dirs.plugins,
  BIN_DIR: dirs.bin,
};
/** uid 0, no capabilities in any set, no privilege gain: what the DaemonSet's securityContext gives. */
const NO_CAPS = ['--reuid=0', '--regid=0', '--clear-groups', '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--no-new-privs'];

let writer: ChildProcess | undefined;
let output = '';

/** Writes the ConfigMap volume the way the kubelet does: the node's key is a symlink into ..data. */
function writeConfigMap(text: string): void {
  const data = join(dirs.src, `..data-${Date.now()}-${Math.random()}`);
  mkdirSync(data);
  writeFileSync(join(data, NODE), text);
  rmSync(join(dirs.src, NODE), { force: true });
  symlinkSync(join(data, NODE), join(dirs.src, NODE));
}

function probe(command: string[]): number | null {
  return spawnSync('setpriv', [...NO_CAPS, 'busybox', ...command], { env, timeout: 10_000 }).status;
}

async function until(what: string, check: () => boolean, seconds = 10): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${seconds}s waiting for ${what}; writer output:\n${output}`);
}

const installed = join(dirs.netd, confFile);
const readInstalled = () => (existsSync(installed) ? readFileSync(installed, 'utf8') : '');

beforeAll(() => {
  for (const d of Object.values(dirs)) {
    mkdirSync(d);
    chmodSync(d, 0o755);
  }
  writeConfigMap('{"cniVersion":"1.0.0","name":"first"}\n');
  writeFileSync(join(dirs.plugins, 'bridge'), '#!/bin/sh\n');
  expect(container.command.slice(0, 2)).toEqual(['sh', '-c']);
  writer = spawn('setpriv', [...NO_CAPS, 'busybox', 'sh', '-c', container.command[2]], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  writer.stdout!.on('data', (d) => (output += d));
  writer.stderr!.on('data', (d) => (output += d));
});

afterAll(() => {
  writer?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

describe(`the CNI writer of ${file}`, () => {
  it('runs with no capabilities at all', async () => {
    await until('the writer to start', () => writer?.pid !== undefined && existsSync(`/proc/${writer.pid}/status`));
    await until('the shell to replace setpriv', () => readFileSync(`/proc/${writer!.pid}/cmdline`, 'utf8').startsWith('busybox'));
    const status = readFileSync(`/proc/${writer!.pid}/status`, 'utf8');
    for (const set of ['CapEff', 'CapPrm', 'CapBnd', 'CapAmb']) expect(status).toMatch(new RegExp(`${set}:\\s+0000000000000000`));
    expect(status).toMatch(/Uid:\s+0\s/);
  });

  it('installs the conflist and the plugin binaries, then turns ready', async () => {
    await until('the conflist on the node', () => readInstalled() === '{"cniVersion":"1.0.0","name":"first"}\n');
    expect(statSync(installed).mode & 0o777).toBe(0o644);
    expect(statSync(join(dirs.bin, 'bridge')).mode & 0o777).toBe(0o755);
    await until('readiness', () => probe(container.readinessProbe.exec.command) === 0);
    expect(probe(container.livenessProbe.exec.command)).toBe(0);
  });

  it('replaces the file by rename (a new inode, never a half-written file) when the ConfigMap changes', async () => {
    const before = statSync(installed).ino;
    writer!.kill('SIGSTOP');
    writeConfigMap('{"cniVersion":"1.0.0","name":"second"}\n');
    expect(probe(container.readinessProbe.exec.command)).not.toBe(0);
    writer!.kill('SIGCONT');
    await until('the new conflist on the node', () => readInstalled() === '{"cniVersion":"1.0.0","name":"second"}\n');
    expect(statSync(installed).ino).not.toBe(before);
    expect(spawnSync('ls', ['-A', dirs.netd], { encoding: 'utf8' }).stdout.trim()).toBe(confFile);
    await until('readiness again', () => probe(container.readinessProbe.exec.command) === 0);
  });

  it('puts a deleted file back', async () => {
    rmSync(installed);
    await until('the conflist to come back', () => readInstalled() === '{"cniVersion":"1.0.0","name":"second"}\n');
  });

  it('needs uid 0: as another user it cannot write the root-owned net.d', () => {
    const other = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--bounding-set=-all', '--no-new-privs', 'busybox', 'sh', '-c', `cp "$CONF_SRC/$CONF_FILE" "$CONF_DIR/.probe"`], { env, encoding: 'utf8' });
    expect(other.status).not.toBe(0);
    expect(other.stderr).toMatch(/Permission denied/);
  });

  it('liveness fails once the loop stops', async () => {
    writer!.kill('SIGKILL');
    await until('liveness to fail', () => probe(container.livenessProbe.exec.command) !== 0, 8);
  });
});
