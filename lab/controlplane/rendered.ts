import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
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
