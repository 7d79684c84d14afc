import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../synth/kube-object';
import { listFiles } from '../../synth/write';

export interface LoadedObject {
  /** Path relative to charts-out, e.g. `prod-x/argocd/application.fleetnet-root.yaml`. */
  readonly file: string;
  readonly cluster: string;
  readonly stack: string;
  readonly object: KubeObject;
}

/** Every object of a charts-out folder, parsed the way Kubernetes tools do (YAML 1.1). */
export function loadChartsOut(dir: string): LoadedObject[] {
  return listFiles(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((file) => {
      const [cluster, stack] = file.split('/');
      return { file, cluster, stack, object: parse(readFileSync(join(dir, file), 'utf8'), { version: '1.1' }) };
    });
}
