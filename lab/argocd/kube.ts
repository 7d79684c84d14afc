import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../synth/kube-object';
import { KubeClient, type KubeClientOptions } from '../controlplane/kube-client';

/**
 * The little of the Kubernetes API the Argo CD lab needs (apply, get, delete, patch), spoken with the
 * credentials of a kubeconfig: a bearer token or a client certificate, and the cluster's CA.
 */

/** What a kubeconfig's current context says: the server, its CA, and a token or a client certificate. */
export type Kubeconfig = Pick<KubeClientOptions, 'server' | 'caPem' | 'token' | 'certPem' | 'keyPem' | 'tlsServerName'>;

interface RawKubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: Record<string, string> }[];
  users?: { name: string; user: Record<string, string> }[];
}

/** Reads the current context's cluster and user of a kubeconfig file (paths inside it are relative to it). */
export function readKubeconfig(path: string): Kubeconfig {
  const raw = parse(readFileSync(path, 'utf8')) as RawKubeconfig;
  const fail = (what: string): never => {
    throw new Error(`kubeconfig ${path}: ${what}; write one with a current-context, its cluster (server, CA) and its user (token or client certificate)`);
  };
  const contextName = raw['current-context'] ?? raw.contexts?.[0]?.name ?? fail('no context');
  const context = raw.contexts?.find((c) => c.name === contextName)?.context ?? fail(`no context "${contextName}"`);
  const cluster = raw.clusters?.find((c) => c.name === context.cluster)?.cluster ?? fail(`no cluster "${context.cluster}"`);
  const user = raw.users?.find((u) => u.name === context.user)?.user ?? {};
  const file = (p: string | undefined) => (p ? readFileSync(resolve(dirname(path), p), 'utf8') : undefined);
  const data = (d: string | undefined) => (d ? Buffer.from(d, 'base64').toString('utf8') : undefined);
  const server = cluster.server ?? fail(`cluster "${context.cluster}" has no server`);
  return {
    server,
    caPem: data(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']),
    token: user.token ?? file(user.tokenFile ?? user['token-file'])?.trim(),
    certPem: data(user['client-certificate-data']) ?? file(user['client-certificate']),
    keyPem: data(user['client-key-data']) ?? file(user['client-key']),
    tlsServerName: cluster['tls-server-name'],
  };
}

export type { KubeObject };

export class KubeRequestError extends Error {
  constructor(readonly method: string, readonly path: string, readonly status: number, message: string) {
    super(`${method} ${path}: ${status} ${message}`);
    this.name = 'KubeRequestError';
  }
}

/** The REST path of an object: core (`v1`) or grouped, namespaced when a namespace is given. */
export function objectPath(apiVersion: string, plural: string, name?: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${base}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** The lab's view of a cluster: objects by plural resource name, spoken through the one Kubernetes client. */
export class LabKube {
  private readonly client: KubeClient;

  constructor(readonly config: Kubeconfig) {
    this.client = new KubeClient({ ...config, timeoutMs: 15_000, maxSockets: 4 });
  }

  static fromFile(path: string): LabKube {
    return new LabKube(readKubeconfig(path));
  }

  close(): void {
    this.client.close();
  }

  /** One request; resolves with the status and the parsed JSON body (never throws for a status). */
  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
    const r = await this.client.request<any>(method, path, { body, contentType });
    return { status: r.status, body: r.body };
  }

  async expectOk(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const r = await this.request(method, path, body, contentType);
    if (r.status < 200 || r.status >= 300) throw new KubeRequestError(method, path, r.status, r.body?.message ?? String(r.body).slice(0, 300));
    return r.body;
  }

  /** Server-side apply of one object (field manager `fleetnet-lab`, conflicts forced). */
  apply(object: KubeObject, plural: string): Promise<any> {
    const path = objectPath(object.apiVersion, plural, object.metadata.name, object.metadata.namespace);
    return this.expectOk('PATCH', `${path}?fieldManager=fleetnet-lab&force=true`, object, 'application/apply-patch+yaml');
  }

  /** One object, or undefined when it does not exist. */
  async get(apiVersion: string, plural: string, name: string, namespace?: string): Promise<any | undefined> {
    const path = objectPath(apiVersion, plural, name, namespace);
    const r = await this.request('GET', path);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new KubeRequestError('GET', path, r.status, r.body?.message ?? '');
    return r.body;
  }

  async list(apiVersion: string, plural: string, namespace?: string): Promise<any[]> {
    return (await this.expectOk('GET', objectPath(apiVersion, plural, undefined, namespace))).items ?? [];
  }

  /** A JSON merge patch. */
  mergePatch(apiVersion: string, plural: string, name: string, namespace: string | undefined, patch: unknown): Promise<any> {
    return this.expectOk('PATCH', objectPath(apiVersion, plural, name, namespace), patch, 'application/merge-patch+json');
  }

  /** Deletes one object; false when it did not exist. */
  async delete(apiVersion: string, plural: string, name: string, namespace?: string): Promise<boolean> {
    const path = objectPath(apiVersion, plural, name, namespace);
    const r = await this.request('DELETE', path);
    if (r.status === 404) return false;
    if (r.status < 200 || r.status >= 300) throw new KubeRequestError('DELETE', path, r.status, r.body?.message ?? '');
    return true;
  }
}
