import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Cluster } from '../../fleet/cluster';
import type { Fleet } from '../../fleet/fleet';
import { validateFleet } from '../../fleet/validate';
import type { KubeObject } from '../../synth/kube-object';
import { renderCluster } from '../../synth/render';


/** A cluster of a fleet synthesized exactly as `npm run synth` does, parsed back from its YAML. */
export function synthesized(fleet: Fleet, cluster: Cluster): Map<string, KubeObject[]> {
  const byStack = new Map<string, KubeObject[]>();
  for (const stack of renderCluster(fleet, cluster).stacks) {
    byStack.set(stack.name, [...stack.files.values()].map((text) => parse(text, { version: '1.1' }) as KubeObject));
  }
  return byStack;
}

/** One stack of a cluster, validated and rendered as `npm run synth` does, parsed back from its YAML. */
export function stackObjects(fleet: Fleet, cluster: Cluster, stackName: string): KubeObject[] {
  validateFleet(fleet);
  const stack = renderCluster(fleet, cluster).stacks.find((s) => s.name === stackName);
  if (!stack) throw new Error(`the test cluster ${cluster.name} has no ${stackName} stack: is it in defaultStacks?`);
  return [...stack.files.values()].map((text) => parse(text, { version: '1.1' }) as KubeObject);
}

/** Writes the chosen stacks as a charts-out-like folder, for the harness's applyDirectory. */
export function writeStacks(dir: string, fleet: Fleet, cluster: Cluster, names: readonly string[]): string {
  const rendered = renderCluster(fleet, cluster);
  for (const name of names) {
    const stack = rendered.stacks.find((s) => s.name === name);
    if (!stack) throw new Error(`cluster ${cluster.name} has no stack ${name}; it has ${rendered.stacks.map((s) => s.name).join(', ')}`);
    mkdirSync(join(dir, name), { recursive: true });
    for (const [file, text] of stack.files) writeFileSync(join(dir, name, file), text);
  }
  return dir;
}

/** The data of a ConfigMap of a stack (the Corefile and its zone files). */
export function configMapData(stacks: Map<string, KubeObject[]>, stack: string, name: string): Record<string, string> {
  const cm = stacks.get(stack)?.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as (KubeObject & { data?: Record<string, string> }) | undefined;
  if (!cm?.data) throw new Error(`stack ${stack} has no ConfigMap ${name}`);
  return cm.data;
}

/** One object of a manifest folder. */
export interface FileObject {
  /** Relative to the folder read, e.g. `argocd/application.fleetnet-root.yaml`. */
  readonly file: string;
  readonly object: KubeObject;
}

/** Every object of every *.yaml under `dir` (recursive, sorted), parsed as Kubernetes tools do (YAML 1.1). */
export function readManifests(dir: string): { objects: FileObject[]; errors: { file: string; message: string }[] } {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')) files.push(relative(dir, full));
    }
  };
  walk(dir);
  files.sort();
  const objects: FileObject[] = [];
  const errors: { file: string; message: string }[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { version: '1.1' })) {
      if (doc.errors.length > 0) {
        errors.push({ file, message: `YAML: ${doc.errors.map((e) => e.message).join('; ')}` });
        continue;
      }
      const value = doc.toJS() as KubeObject | null;
      if (value === null || value === undefined) continue;
      objects.push({ file, object: value });
    }
  }
  return { objects, errors };
}
