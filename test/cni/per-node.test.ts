import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { fleet } from '../../clusters/index';
import { clusterCniNetworks } from '../../constructs/cni/cluster-network';
import { CniInstall } from '../../constructs/cni/install';
import { contains, overlaps, parseCidr } from '../../constructs/common/ip';
import { readManifests } from '../harness/kube-client';
import { cnitool } from './cnitool';
import { NetnsPool, run, uniqueSuffix } from './netns';

/**
 * Per-node ranges end to end: the writer shell of the synthesized DaemonSet, run by busybox sh as uid 0
 * without capabilities (as the DaemonSet runs it) once per node name, installs each node's own list
 * from the ConfigMap and refuses a node it has no list for; the reference plugins then hand out
 * addresses on two "nodes" (network namespaces) from the two lists the writer installed, without one
 * address in common. Addresses in network namespaces are from the lab range only: the second part
 * renders the same construct with two lab-range subnets.
 */

type Obj = { kind: string; data?: Record<string, string>; spec?: any };
type Conflist = { name: string; plugins: { type: string; bridge?: string; ipam?: { ranges: { subnet: string }[][]; dataDir?: string } }[] };

const CLUSTER = 'test-x';
const work = mkdtempSync(join(tmpdir(), 'fleetnet-per-node-'));
const pool = new NetnsPool();
const NO_CAPS = ['--reuid=0', '--regid=0', '--clear-groups', '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--no-new-privs'];

afterAll(() => {
  pool.removeAll();
  rmSync(work, { recursive: true, force: true });
});

function installOf(objects: Obj[]) {
  const ds = objects.find((o) => o.kind === 'DaemonSet')!;
  const container = ds.spec.template.spec.containers[0] as { command: string[]; env: { name: string; value?: string; valueFrom?: unknown }[] };
  return { data: objects.find((o) => o.kind === 'ConfigMap')!.data!, container, terms: ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms };
}

/** A ConfigMap volume as the kubelet lays it out: each key a symlink into a ..data directory. */
function configMapVolume(dir: string, data: Record<string, string>): void {
  mkdirSync(join(dir, '..data-1'), { recursive: true });
  for (const [key, text] of Object.entries(data)) {
    writeFileSync(join(dir, '..data-1', key), text);
    spawnSync('ln', ['-s', join(dir, '..data-1', key), join(dir, key)]);
  }
}

/**
 * Runs the writer for one node until its file is in net.d (or the writer exits), then stops it.
 * Returns the exit status (null while it was still running), its output and the installed file.
 */
async function runWriter(install: ReturnType<typeof installOf>, node: string, tag: string): Promise<{ status: number | null; output: string; installed?: string; confDir: string }> {
  const src = join(work, `cm-${tag}`);
  const confDir = join(work, `net.d-${tag}`);
  const heartbeatDir = join(work, `run-${tag}`);
  mkdirSync(confDir);
  mkdirSync(heartbeatDir);
  if (!existsSync(src)) configMapVolume(src, install.data);
  const plain = Object.fromEntries(install.container.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
  expect(install.container.env.find((e) => e.name === 'NODE_NAME')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
  // The downward API gives NODE_NAME the pod's spec.nodeName; the volumes are mounted where the env says.
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...plain, NODE_NAME: node, CONF_SRC: src, CONF_DIR: confDir, INTERVAL: '1', HEARTBEAT: join(heartbeatDir, 'heartbeat') };
  const file = join(confDir, plain.CONF_FILE);
  const child = spawn('setpriv', [...NO_CAPS, 'busybox', 'sh', '-c', install.container.command[2]], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let status: number | null = null;
  const exited = new Promise<void>((r) => child.on('exit', (code) => { status = code; r(); }));
  for (let i = 0; i < 100 && status === null && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await exited;
  return { status: existsSync(file) ? null : status, output, installed: existsSync(file) ? readFileSync(file, 'utf8') : undefined, confDir };
}

const subnetOf = (conf: Conflist) => conf.plugins.find((p) => p.type === 'bridge')!.ipam!.ranges[0][0].subnet;

describe(`the writer of charts-out/${CLUSTER}/cni, once per node`, () => {
  const install = installOf(readManifests(resolve(__dirname, '../../charts-out', CLUSTER, 'cni')).objects.map((m) => m.object as Obj));
  const nodes = fleet.cluster(CLUSTER).podNetwork.cni!.nodes;

  it('is scheduled only onto the fleet\'s nodes', () => {
    expect(nodes.length).toBeGreaterThan(1);
    expect(install.terms.map((t: { matchFields: { values: string[] }[] }) => t.matchFields[0].values)).toEqual(nodes.map((n) => [n.name]));
  });

  it('installs on each node that node\'s own list: the ranges are the fleet\'s and pairwise disjoint', async () => {
    const subnets: string[] = [];
    for (const [i, node] of nodes.entries()) {
      const r = await runWriter(install, node.name, `fleet-${i}`);
      expect(r.installed, r.output).toBeDefined();
      expect(r.output).toContain('installed ');
      subnets.push(subnetOf(JSON.parse(r.installed!) as Conflist));
    }
    expect(subnets).toEqual(nodes.map((n) => n.subnet));
    const ranges = subnets.map((s) => parseCidr(s)!);
    for (const [i, a] of ranges.entries()) for (const b of ranges.slice(i + 1)) expect(overlaps(a, b), `${a.text} / ${b.text}`).toBe(false);
  });

  it('refuses a node that is not listed: exits 1, says why, writes nothing', async () => {
    const r = await runWriter(install, `${CLUSTER}-unlisted`, 'unlisted');
    expect(r.status).toBe(1);
    expect(r.output).toContain(`cni-install: refusing node '${CLUSTER}-unlisted': it has no pod range of its own in this install (listed: ${nodes.map((n) => n.name).join(' ')} )`);
    expect(run('ls', ['-A', r.confDir])).toBe('');
  });
});

describe('two nodes on the lists the writer installed, run by the reference plugins', () => {
  const chain = fleet.cluster(CLUSTER).podNetwork.cni!.chain;
  const labNodes = [{ name: 'node-a', subnet: '198.18.254.0/28' }, { name: 'node-b', subnet: '198.18.254.16/28' }];
  const PODS = 4;

  it('each node allocates from its own range, and no address is given twice', async () => {
    const chart = new Chart(Testing.app(), 'c', { disableResourceNameHashes: true });
    new CniInstall(chart, 'install', { namespace: 'cni-system', nodes: clusterCniNetworks({ nodes: labNodes, chain }) });
    const install = installOf(Testing.synth(chart) as Obj[]);
    const addresses: { node: string; ip: string }[] = [];
    for (const node of labNodes) {
      const written = await runWriter(install, node.name, `lab-${node.name}`);
      expect(written.installed, written.output).toBeDefined();
      const conf = JSON.parse(written.installed!) as Conflist;
      expect(subnetOf(conf)).toBe(node.subnet);
      // Only what must differ from a real node: a bridge name of our own and host-local's files here.
      for (const p of conf.plugins) {
        if (p.type === 'bridge') p.bridge = `fnt${uniqueSuffix()}`;
        if (p.ipam) p.ipam.dataDir = join(work, `ipam-${node.name}`);
      }
      const confDir = join(work, `cnitool-${node.name}`);
      const varLib = join(work, `var-lib-${node.name}`);
      mkdirSync(confDir);
      mkdirSync(varLib);
      writeFileSync(join(confDir, `10-${conf.name}.conflist`), JSON.stringify(conf));
      const nodeNs = pool.create(`${node.name}-n`);
      for (let i = 0; i < PODS; i++) {
        const r = cnitool('add', { node: nodeNs, pod: pool.create(`${node.name}-p${i}`), network: conf.name, confDir, varLib });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        addresses.push({ node: node.name, ip: (JSON.parse(r.stdout) as { ips: { address: string }[] }).ips[0].address.split('/')[0] });
      }
    }
    for (const node of labNodes) {
      const range = parseCidr(node.subnet)!;
      const own = addresses.filter((a) => a.node === node.name);
      expect(own).toHaveLength(PODS);
      for (const a of own) expect(contains(range, a.ip), `${a.ip} in ${node.subnet}`).toBe(true);
    }
    expect(new Set(addresses.map((a) => a.ip)).size).toBe(addresses.length);
  }, 120_000);

  it('cleans up: every namespace this file made is gone after removeAll', () => {
    expect(pool.leftovers().length).toBeGreaterThan(0);
    pool.removeAll();
    expect(pool.leftovers()).toEqual([]);
  });
});
