import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { goModules } from '../../constructs/catalog';
import type { KubeObject } from './kube-client';

/**
 * The Prometheus Operator's CRDs at the catalog's version, read from the Go module cache at run time
 * (never committed): `example/prometheus-operator-crd/monitoring.coreos.com_<plural>.yaml` of
 * goModules.prometheusOperator. The module proxy is off here; tools/prometheus-operator/build.sh
 * (run by tools/setup/go-tools.sh) puts the module into the cache.
 */
export function prometheusOperatorCrds(plurals: readonly string[]): KubeObject[] {
  const { module, version } = goModules.prometheusOperator;
  const fix = 'Fix: run bash tools/prometheus-operator/build.sh (npm test runs it)';
  const run = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod' },
  });
  const dir = run.status === 0 ? (JSON.parse(run.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new Error(`${module}@${version} is not in the Go module cache (${run.error?.message ?? /"Error": "(.*)"/.exec(run.stdout ?? '')?.[1] ?? run.stderr}). ${fix}`);
  return plurals.map((plural) => {
    const file = join(dir, 'example/prometheus-operator-crd', `monitoring.coreos.com_${plural}.yaml`);
    if (!existsSync(file)) throw new Error(`${module}@${version} has no ${file}. ${fix}`);
    return parse(readFileSync(file, 'utf8')) as KubeObject;
  });
}
