import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import type { Cluster } from '../fleet/cluster';

interface KubeconfigFile {
  readonly contexts?: readonly { readonly name: string; readonly context?: { readonly cluster?: string } }[];
  readonly clusters?: readonly { readonly name: string; readonly cluster?: { readonly server?: string } }[];
}

/** The kubeconfig files kubectl reads: the given path, else each file of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFiles(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [explicit];
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  return listed.length > 0 ? listed : [join(homedir(), '.kube', 'config')];
}

/** The API server a context points at. As kubectl merges several files, the first definition of a name wins. */
export function contextServer(files: readonly string[], context: string): { server: string; file: string } {
  const contexts = new Map<string, { cluster?: string; file: string }>();
  const clusters = new Map<string, string | undefined>();
  for (const file of files.filter((f) => existsSync(f))) {
    const config = (parse(readFileSync(file, 'utf8')) ?? {}) as KubeconfigFile;
    for (const c of config.contexts ?? []) if (!contexts.has(c.name)) contexts.set(c.name, { cluster: c.context?.cluster, file });
    for (const c of config.clusters ?? []) if (!clusters.has(c.name)) clusters.set(c.name, c.cluster?.server);
  }
  const found = contexts.get(context);
  if (!found) {
    throw new Error(`kubeconfig context "${context}" is in none of ${files.join(', ')}. Fix: create it (\`kubectl config set-context ${context} --cluster=… --user=…\`), or set fleetnet-bootstrap:kubeconfig to the file that has it`);
  }
  const server = found.cluster === undefined ? undefined : clusters.get(found.cluster);
  if (!server) throw new Error(`kubeconfig context "${context}" (${found.file}) names cluster "${found.cluster ?? ''}", which has no server. Fix: \`kubectl config set-cluster ${found.cluster ?? '<name>'} --server=https://…\``);
  return { server, file: found.file };
}

/** Throws unless the context reaches the cluster's API server: a wrong context would apply one cluster's objects to another. */
export function checkContextReaches(cluster: Cluster, context: string, files: readonly string[]): void {
  const { server, file } = contextServer(files, context);
  if (sameUrl(server, cluster.apiServer)) return;
  throw new Error(
    `kubeconfig context "${context}" (${file}) points at ${server}, but cluster "${cluster.name}" has apiServer ${cluster.apiServer}. ` +
      `Fix: set fleetnet-bootstrap:kubeconfigContext in bootstrap/Pulumi.${cluster.name}.yaml to a context of this cluster, or correct apiServer in clusters/`,
  );
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    const url = new URL(u);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  };
  try {
    return norm(a) === norm(b);
  } catch {
    return a === b;
  }
}
