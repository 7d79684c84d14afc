import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkFresh, readClusterFolder, type Manifest, type ManifestFile } from '../../bootstrap/charts-out';
import { clusterOfStack } from '../../bootstrap/cluster-of-stack';
import { checkContextReaches, contextServer, kubeconfigFiles } from '../../bootstrap/kubeconfig';
import { builtinClass } from '../../bootstrap/kubernetes-object';
import { DEX_OBJECT_NAME, installObjects } from '../../bootstrap/argocd-install';
import { argoCdInstallManifest } from '../../bootstrap/argocd-manifest';
import { bootstrapCluster, stackList } from '../../bootstrap/program';
import { syncPlan } from '../../bootstrap/sync-plan';
import { fleet } from '../../clusters/index';
import { synthesizeFleet } from '../../synth/synthesize';
import { writeKubeconfigFile } from './kubeconfig-file';

const chartsOut = resolve(__dirname, '../../charts-out');
const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'fleetnet-bootstrap-unit-'));
  temps.push(d);
  return d;
};
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const file = (path: string, kind: string, name: string, wave?: number, extra: Partial<Manifest> = {}): ManifestFile => ({
  path,
  object: { apiVersion: kind === 'CustomResourceDefinition' ? 'apiextensions.k8s.io/v1' : 'v1', kind, metadata: { name, ...(wave === undefined ? {} : { annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } }) }, ...extra },
});
const application = (stack: string, wave: number, cluster = 'c1') =>
  file(`argocd/application.fleetnet-${stack}.yaml`, 'Application', `fleetnet-${stack}`, wave, { apiVersion: 'argoproj.io/v1alpha1', spec: { source: { path: `charts-out/${cluster}/${stack}` } } });

describe('syncPlan', () => {
  it('orders stacks by their Application wave, then object waves, definitions first in each wave', () => {
    const folders = new Map<string, ManifestFile[]>([
      ['argocd', [application('argocd', 0), application('late', 30), application('early', -5), application('side', 30)]],
      ['late', [file('late/a.yaml', 'ConfigMap', 'a', 2), file('late/b.yaml', 'Namespace', 'b', 2), file('late/c.yaml', 'ConfigMap', 'c')]],
      ['early', [file('early/crd.yaml', 'CustomResourceDefinition', 'x.example.com', 0), file('early/x.yaml', 'ConfigMap', 'x', -1)]],
      ['side', [file('side/s.yaml', 'ConfigMap', 's')]],
    ]);
    const plan = syncPlan('c1', folders);
    const steps = plan.map((l) => `${l.wave}: ${l.stacks.map((s) => `${s.stack}[${s.steps.map((st) => `${st.wave}/${st.phase}=${st.objects.map((o) => o.object.metadata.name).join('+')}`).join(' ')}]`).join(' | ')}`);
    expect(steps).toEqual([
      '-5: early[-1/objects=x 0/definitions=x.example.com]',
      '30: late[0/objects=c 2/definitions=b 2/objects=a] | side[0/objects=s]',
    ]);
  });

  it('refuses a folder without an Application, an Application of a missing folder and a wave that is not an integer', () => {
    const base = () => new Map<string, ManifestFile[]>([['argocd', [application('argocd', 0), application('one', 0)]], ['one', [file('one/a.yaml', 'ConfigMap', 'a')]]]);
    const orphanFolder = base().set('two', [file('two/b.yaml', 'ConfigMap', 'b')]);
    expect(() => syncPlan('c1', orphanFolder)).toThrow('charts-out/c1/two/ has no Application in charts-out/c1/argocd/');
    const missing = base().set('argocd', [application('argocd', 0), application('one', 0), application('gone', 5)]);
    expect(() => syncPlan('c1', missing)).toThrow('syncs charts-out/c1/gone, which does not exist');
    const otherCluster = base().set('argocd', [application('argocd', 0), application('one', 0, 'c2')]);
    expect(() => syncPlan('c1', otherCluster)).toThrow('which is not a folder of cluster "c1"');
    const badWave = base().set('one', [file('one/a.yaml', 'ConfigMap', 'a', 'soon' as unknown as number)]);
    expect(() => syncPlan('c1', badWave)).toThrow('argocd.argoproj.io/sync-wave "soon" is not an integer');
  });

  it.each(fleet.clusters.map((c) => [c.name]))('%s: places every object of charts-out exactly once', (name) => {
    const folders = readClusterFolder(chartsOut, name);
    const planned = syncPlan(name, folders).flatMap((l) => l.stacks.flatMap((s) => s.steps.flatMap((st) => st.objects.map((o) => o.path))));
    const expected = [...folders].filter(([f]) => f !== 'argocd').flatMap(([, files]) => files.map((f) => f.path));
    expect([...planned].sort()).toEqual([...expected].sort());
  });
});

describe('stack files', () => {
  const bootstrapDir = resolve(__dirname, '../../bootstrap');
  const stackFiles = readdirSync(bootstrapDir).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

  it('every cluster has bootstrap/Pulumi.<cluster>.yaml, and every stack file is a cluster', () => {
    expect(stackFiles.map((f) => f.replace(/^Pulumi\.|\.yaml$/g, '')).sort()).toEqual(fleet.clusters.map((c) => c.name).sort());
  });

  it('they hold only stack settings the project declares', () => {
    const project = parse(readFileSync(join(bootstrapDir, 'Pulumi.yaml'), 'utf8')) as { config: Record<string, unknown> };
    for (const f of stackFiles) {
      const stack = parse(readFileSync(join(bootstrapDir, f), 'utf8')) as Record<string, unknown> & { config: Record<string, unknown> };
      expect(Object.keys(stack).filter((k) => k !== 'encryptionsalt'), f).toEqual(['config']);
      for (const key of Object.keys(stack.config)) expect(Object.keys(project.config), `${f}: ${key}`).toContain(key);
      expect(typeof stack.config['fleetnet-bootstrap:kubeconfigContext'], f).toBe('string');
    }
  });
});

describe('clusterOfStack', () => {
  it('finds the cluster named like the stack, or names every cluster', () => {
    expect(clusterOfStack(fleet, 'prod-x').name).toBe('prod-x');
    expect(() => clusterOfStack(fleet, 'dev')).toThrow(`use a stack named after one of ${fleet.clusters.map((c) => c.name).join(', ')}`);
  });
});

describe('kubeconfig', () => {
  it('reads the files kubectl reads: the given one, else $KUBECONFIG, else ~/.kube/config', () => {
    expect(kubeconfigFiles('/x/config', { KUBECONFIG: '/a:/b' })).toEqual(['/x/config']);
    expect(kubeconfigFiles(undefined, { KUBECONFIG: '/a::/b' })).toEqual(['/a', '/b']);
    expect(kubeconfigFiles(undefined, {})[0]).toMatch(/\.kube\/config$/);
  });

  it('the first file that defines a context wins, as kubectl merges them', () => {
    const dir = tempDir();
    const a = writeKubeconfigFile(join(dir, 'a'), { 'prod-x': 'https://192.0.2.11:6443' });
    const b = writeKubeconfigFile(join(dir, 'b'), { 'prod-x': 'https://192.0.2.99:6443', 'prod-y': 'https://192.0.2.12:6443' });
    expect(contextServer([a, b], 'prod-x')).toEqual({ server: 'https://192.0.2.11:6443', file: a });
    expect(contextServer([join(dir, 'absent'), a, b], 'prod-y').server).toBe('https://192.0.2.12:6443');
    expect(() => contextServer([a], 'prod-z')).toThrow(`kubeconfig context "prod-z" is in none of ${a}`);
  });

  it("accepts the cluster's own API server (however the URL is spelled) and refuses another", () => {
    const dir = tempDir();
    const prodX = fleet.cluster('prod-x');
    const kc = writeKubeconfigFile(join(dir, 'kc'), { same: `${prodX.apiServer}/`, other: fleet.cluster('prod-y').apiServer });
    expect(() => checkContextReaches(prodX, 'same', [kc])).not.toThrow();
    expect(() => checkContextReaches(prodX, 'other', [kc])).toThrow(`but cluster "prod-x" has apiServer ${prodX.apiServer}`);
  });
});

describe('charts-out freshness', () => {
  const copy = () => {
    const dir = join(tempDir(), 'charts-out');
    cpSync(chartsOut, dir, { recursive: true });
    return dir;
  };
  const testX = fleet.cluster('test-x');

  it('the committed folder is fresh', () => {
    expect(() => checkFresh(fleet, testX, chartsOut)).not.toThrow();
  });

  it('a changed, a missing and a stale file are each refused', () => {
    const changed = copy();
    const target = join(changed, 'test-x', 'cluster-dns', 'configmap.coredns.yaml');
    writeFileSync(target, readFileSync(target, 'utf8').replace('cache', 'cache 9999'));
    expect(() => checkFresh(fleet, testX, changed)).toThrow('cluster-dns/configmap.coredns.yaml differs');
    const missing = copy();
    unlinkSync(join(missing, 'test-x', 'argocd', 'application.fleetnet-root.yaml'));
    expect(() => checkFresh(fleet, testX, missing)).toThrow('argocd/application.fleetnet-root.yaml is missing');
    const stale = copy();
    writeFileSync(join(stale, 'test-x', 'cluster-dns', 'configmap.old.yaml'), 'kind: ConfigMap');
    expect(() => checkFresh(fleet, testX, stale)).toThrow('cluster-dns/configmap.old.yaml is stale');
  });
});

describe('kinds', () => {
  it('built-in kinds get their typed class; kinds of CRDs (even under *.k8s.io) do not', () => {
    expect(builtinClass('v1', 'ConfigMap')?.name).toBe('ConfigMap');
    expect(builtinClass('apps/v1', 'DaemonSet')?.name).toBe('DaemonSet');
    expect(builtinClass('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')?.name).toBe('ClusterRoleBinding');
    expect(builtinClass('apiextensions.k8s.io/v1', 'CustomResourceDefinition')?.name).toBe('CustomResourceDefinition');
    expect(builtinClass('metallb.io/v1beta1', 'IPAddressPool')).toBeUndefined();
    expect(builtinClass('gateway.networking.k8s.io/v1', 'Gateway')).toBeUndefined();
    expect(builtinClass('v1', 'NoSuchKind')).toBeUndefined();
  });
});

describe('refusals of the program, before it registers anything', () => {
  // A fresh synthesis of the fleet, so that only the refusal under test can stop the program.
  const fresh = mkdtempSync(join(tmpdir(), 'fleetnet-bootstrap-refusals-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));
  synthesizeFleet(fleet, { outdir: join(fresh, 'charts-out') });
  const kubeconfigOf = () => writeKubeconfigFile(join(tempDir(), 'kubeconfig'), Object.fromEntries(fleet.clusters.map((c) => [c.name, c.apiServer])));
  const args = (stack: string, kubeconfigContext: string | undefined, kubeconfig: string) => ({ fleet, stack, chartsOut: join(fresh, 'charts-out'), kubeconfigContext, kubeconfig });

  it('a stack that names no cluster lists the clusters', () => {
    expect(() => bootstrapCluster(args('staging-z', 'staging-z', kubeconfigOf()))).toThrow(`Pulumi stack "staging-z" is not a cluster of the fleet`);
  });

  it("a context that reaches another cluster's API server", () => {
    const [first, second] = fleet.clusters;
    expect(() => bootstrapCluster(args(first.name, second.name, kubeconfigOf()))).toThrow(`points at ${second.apiServer}, but cluster "${first.name}" has apiServer ${first.apiServer}`);
  });

  it('a stack without a kubeconfig context (never the ambient current context)', () => {
    expect(() => bootstrapCluster(args('test-x', undefined, kubeconfigOf()))).toThrow('fleetnet-bootstrap:kubeconfigContext is not set for stack "test-x"');
  });

  it('a context the kubeconfig does not have', () => {
    const kc = kubeconfigOf();
    expect(() => bootstrapCluster(args('test-x', 'test-x-typo', kc))).toThrow(`kubeconfig context "test-x-typo" is in none of ${kc}`);
  });

  it('beforeArgoCd naming a stack the cluster does not have', () => {
    const c = fleet.clusters.find((x) => x.bootstrapMode === 'argocd')!;
    expect(() => bootstrapCluster({ ...args(c.name, c.name, kubeconfigOf()), beforeArgoCd: ['cluster-dsn'] })).toThrow(`beforeArgoCd of ${c.name} names "cluster-dsn", which is not a stack of charts-out/${c.name}/`);
  });
});

describe("Argo CD's install manifest, adapted", () => {
  const manifest = argoCdInstallManifest();
  type Pod = { containers: { imagePullPolicy?: string }[]; initContainers?: { imagePullPolicy?: string }[] };
  const pods = (objects: Manifest[]) => objects.map((o) => (o.spec as { template?: { spec?: Pod } } | undefined)?.template?.spec).filter((p): p is Pod => !!p);

  it('without Dex: exactly the objects named argocd-dex-server are left out', () => {
    const all = installObjects(manifest, 'argocd');
    const noDex = installObjects(manifest, 'argocd', { dex: false });
    const dex = all.filter((o) => o.metadata.name === DEX_OBJECT_NAME);
    expect(dex.map((o) => o.kind).sort()).toEqual(['Deployment', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
    expect(noDex).toEqual(all.filter((o) => o.metadata.name !== DEX_OBJECT_NAME));
  });

  it('a pull policy goes on every container and init container, and nothing else changes', () => {
    const all = installObjects(manifest, 'argocd');
    const policy = installObjects(manifest, 'argocd', { imagePullPolicy: 'IfNotPresent' });
    expect(pods(all).flatMap((p) => [...p.containers, ...(p.initContainers ?? [])]).filter((c) => c.imagePullPolicy === 'Always').length).toBeGreaterThan(5);
    const containers = pods(policy).flatMap((p) => [...p.containers, ...(p.initContainers ?? [])]);
    expect(containers.length).toBeGreaterThan(8);
    expect(containers.every((c) => c.imagePullPolicy === 'IfNotPresent')).toBe(true);
    // With every imagePullPolicy taken out, the two are the same objects.
    const strip = (objects: Manifest[]) => JSON.parse(JSON.stringify(objects, (k, v) => (k === 'imagePullPolicy' ? undefined : v)));
    expect(strip(policy)).toEqual(strip(all));
    expect(() => installObjects(manifest, 'argocd', { imagePullPolicy: 'Sometimes' as never })).toThrow('imagePullPolicy "Sometimes" is not one of Always, IfNotPresent, Never');
  });

  it('the beforeArgoCd setting is a comma-separated list', () => {
    expect(stackList(' cluster-dns, metallb ,')).toEqual(['cluster-dns', 'metallb']);
    expect(stackList(undefined)).toBeUndefined();
  });
});
