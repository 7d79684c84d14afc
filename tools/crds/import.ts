/**
 * `npm run import:crds`: regenerates constructs/imports/ (typed classes of the custom resources we
 * render or consume) with `cdk8s import`. The MetalLB, Mizar and DNSEndpoint CRDs are the ones our own
 * constructs synthesize; Argo CD's and the Prometheus Operator's (ServiceMonitor, PodMonitor) come from
 * their Go modules at the catalog's versions (the module cache; `go mod download` fills it). Set
 * CDK8S_CLI to a cdk8s binary to skip npx.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { goModules } from '../../constructs/catalog';
import { DnsEndpointCrd } from '../../constructs/external-dns/dns-endpoint-crd';
import { MetalLbCrds } from '../../constructs/metallb/crds';
import { MizarCrds } from '../../constructs/mizar/crds';

/** The cdk8s CLI release the committed imports were generated with. */
const CDK8S_CLI_VERSION = '2.207.60';
const root = resolve(__dirname, '../..');
const outdir = join(root, 'constructs/imports');

function crdYaml(build: (chart: Chart) => void): string {
  const chart = new Chart(new App(), 'crds');
  build(chart);
  return chart.toJson().map((o) => stringify(o)).join('---\n');
}

/** CRD files of a Go module of the catalog, from the module cache. */
function moduleCrds(entry: { module: string; version: string }, folder: string, files: readonly string[]): string {
  const { module, version } = entry;
  const dir = () => join(execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim(), `${module}@${version}`, folder);
  if (!existsSync(dir())) execFileSync('go', ['mod', 'download', `${module}@${version}`], { stdio: 'inherit', cwd: tmpdir() });
  return files.map((f) => readFileSync(join(dir(), f), 'utf8')).join('\n---\n');
}

const work = mkdtempSync(join(tmpdir(), 'fleetnet-crds-'));
try {
  const sources: Record<string, string> = {
    metallb: crdYaml((c) => new MetalLbCrds(c, 'metallb')),
    mizar: crdYaml((c) => new MizarCrds(c, 'mizar')),
    externaldns: crdYaml((c) => new DnsEndpointCrd(c, 'dnsendpoint')),
    argocd: moduleCrds(goModules.argocdModule, 'manifests/crds', ['application-crd.yaml', 'appproject-crd.yaml']),
    monitoring: moduleCrds(goModules.prometheusOperator, 'example/prometheus-operator-crd', ['monitoring.coreos.com_servicemonitors.yaml', 'monitoring.coreos.com_podmonitors.yaml']),
  };
  const cli = process.env.CDK8S_CLI ? [process.env.CDK8S_CLI] : ['npx', '--yes', `cdk8s-cli@${CDK8S_CLI_VERSION}`];
  for (const [name, text] of Object.entries(sources)) {
    const file = join(work, `${name}.yaml`);
    writeFileSync(file, text);
    execFileSync(cli[0], [...cli.slice(1), 'import', file, '--language', 'typescript', '--output', outdir], { stdio: 'inherit', cwd: work });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
