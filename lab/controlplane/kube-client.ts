import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject, ObjectMeta } from '../../synth/kube-object';
import { sleep } from '../process';
import { readManifests } from './rendered';

/**
 * A small typed client of the Kubernetes REST API over node:https (a CA and a bearer token), enough
 * for the control-plane tests: discovery, server-side apply, CRUD helpers, TokenRequest and access
 * reviews. Every wait is bounded.
 */

export type { KubeObject, ObjectMeta };

/** What discovery says about one kind. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** The plural resource name used in paths, e.g. `configmaps`. */
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface KubeClientOptions {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** The CA of the serving certificate. @default - the system's CAs */
  readonly caPem?: string;
  /** A bearer token. @default - none (a client certificate, or anonymous) */
  readonly token?: string;
  /** A client certificate and its key (PEM), as a kubeconfig's user may have instead of a token. */
  readonly certPem?: string;
  readonly keyPem?: string;
  /** The name the serving certificate is checked against, when the server is reached by another (a forwarder). */
  readonly tlsServerName?: string;
  /** Per request. @default 30000 */
  readonly timeoutMs?: number;
  /** @default 8 */
  readonly maxSockets?: number;
}

export interface KubeResponse<T = unknown> {
  readonly status: number;
  /** Parsed JSON when the server sent JSON, else the text. */
  readonly body: T;
  readonly text: string;
}

/** A non-2xx answer, carrying the server's Status message. */
export class KubeApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly serverMessage: string,
    readonly reason?: string,
  ) {
    super(`${method} ${path}: ${status}${reason ? ` ${reason}` : ''}: ${serverMessage}`);
    this.name = 'KubeApiError';
  }
}

/** The outcome of applying one object. */
export interface ApplyResult {
  /** The file it came from (relative to the applied folder), when applied from files. */
  readonly file?: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly ok: boolean;
  /** HTTP status (0 when the request was never sent, e.g. an unknown kind). */
  readonly status: number;
  /** The server's message when rejected. */
  readonly message?: string;
  /** The object as the server stored (or, dry-run, would store) it. */
  readonly object?: KubeObject;
}

/** Every rejected object of an apply, listed in the message. */
export class ApplyError extends Error {
  constructor(readonly results: readonly ApplyResult[]) {
    super(formatApplyFailures(results));
    this.name = 'ApplyError';
  }
  get failures(): ApplyResult[] {
    return this.results.filter((r) => !r.ok);
  }
}

/** `file: apiVersion Kind namespace/name: message`, one line per rejected object. */
export function formatApplyFailures(results: readonly ApplyResult[]): string {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return `all ${results.length} objects applied`;
  const lines = failed.map((r) => {
    const where = r.file ? `${r.file}: ` : '';
    const id = `${r.apiVersion} ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
    return `  - ${where}${id}: ${r.status ? `${r.status} ` : ''}${r.message ?? 'rejected'}`;
  });
  return `${failed.length} of ${results.length} objects were rejected by the API server:\n${lines.join('\n')}`;
}

export interface ApplyOptions {
  /** The field manager that owns the applied fields. */
  readonly fieldManager: string;
  /** `dryRun=All`: validated and admitted, never stored. */
  readonly dryRun?: boolean;
  /** Take over conflicting fields (`force=true`). @default true */
  readonly force?: boolean;
}

export interface ApplyDirectoryOptions extends Partial<ApplyOptions> {
  /** Objects for which this returns false are not applied (and not reported). */
  readonly filter?: (object: KubeObject, file: string) => boolean;
  /** Bound on the wait for applied CRDs to be Established. @default 60000 */
  readonly crdTimeoutMs?: number;
}

export interface AccessReviewAttributes {
  readonly verb: string;
  readonly resource: string;
  /** API group; '' (core) unless given. */
  readonly group?: string;
  readonly version?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

export interface AccessReviewResult {
  readonly allowed: boolean;
  readonly denied: boolean;
  readonly reason?: string;
  readonly evaluationError?: string;
}

const DISCOVERY_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function statusMessage(body: unknown, text: string): { message: string; reason?: string } {
  if (body && typeof body === 'object' && 'message' in body) {
    const b = body as { message?: string; reason?: string };
    return { message: b.message ?? text, reason: b.reason };
  }
  return { message: text.trim() || '(empty response)' };
}

export class KubeClient {
  private readonly agent: Agent;
  private resources = new Map<string, ResourceInfo>();
  private discovered = false;

  constructor(readonly options: KubeClientOptions) {
    this.agent = new Agent({
      ca: options.caPem,
      cert: options.certPem,
      key: options.keyPem,
      servername: options.tlsServerName,
      keepAlive: true,
      maxSockets: options.maxSockets ?? 8,
    });
  }

  /** The same server and CA with another identity (e.g. a ServiceAccount's token). */
  withToken(token: string): KubeClient {
    return new KubeClient({ ...this.options, token });
  }

  /** Closes idle connections. */
  close(): void {
    this.agent.destroy();
  }

  /** One HTTP request; never throws for an HTTP status (see `expectOk`). */
  request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string; accept?: string; query?: Record<string, string | undefined> } = {},
  ): Promise<KubeResponse<T>> {
    const url = new URL(path, this.options.server);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (payload !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent: this.agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (/json/.test(String(res.headers['content-type'] ?? ''))) {
            try {
              body = JSON.parse(text);
            } catch {
              /* keep the text */
            }
          }
          resolve({ status: res.statusCode ?? 0, body: body as T, text });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Like `request`, but throws a KubeApiError (with the server's message) unless the status is 2xx. */
  async expectOk<T = unknown>(method: string, path: string, options: Parameters<KubeClient['request']>[2] = {}): Promise<T> {
    const res = await this.request<T>(method, path, options);
    if (res.status < 200 || res.status >= 300) {
      const { message, reason } = statusMessage(res.body, res.text);
      throw new KubeApiError(method, path, res.status, message, reason);
    }
    return res.body;
  }

  // ---- discovery ----

  /** Reads every group/version/kind the server serves (aggregated discovery, else per group version). */
  async refreshDiscovery(): Promise<void> {
    const found = new Map<string, ResourceInfo>();
    const add = (group: string, version: string, kind: string, plural: string, namespaced: boolean) => {
      const apiVersion = group ? `${group}/${version}` : version;
      const key = `${apiVersion}/${kind}`;
      if (!found.has(key)) found.set(key, { group, version, apiVersion, kind, plural, namespaced });
    };
    let aggregated = true;
    for (const root of ['/api', '/apis']) {
      const res = await this.request<AggregatedDiscovery>('GET', root, { accept: DISCOVERY_ACCEPT });
      if (res.status !== 200 || (res.body as AggregatedDiscovery)?.kind !== 'APIGroupDiscoveryList') {
        aggregated = false;
        break;
      }
      for (const g of res.body.items ?? []) {
        const group = g.metadata?.name ?? '';
        for (const v of g.versions ?? []) {
          for (const r of v.resources ?? []) {
            const kind = r.responseKind?.kind;
            if (kind) add(group, v.version, kind, r.resource, r.scope === 'Namespaced');
          }
        }
      }
    }
    if (!aggregated) {
      found.clear();
      const groupVersions: string[] = [];
      const core = await this.expectOk<{ versions: string[] }>('GET', '/api');
      groupVersions.push(...core.versions);
      const groups = await this.expectOk<{ groups: { versions: { groupVersion: string }[] }[] }>('GET', '/apis');
      for (const g of groups.groups) for (const v of g.versions) groupVersions.push(v.groupVersion);
      for (const gv of groupVersions) {
        const path = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
        const res = await this.request<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>('GET', path);
        if (res.status !== 200) continue; // e.g. an unavailable aggregated API
        const { group, version } = splitApiVersion(gv);
        for (const r of res.body.resources ?? []) if (!r.name.includes('/')) add(group, version, r.kind, r.name, r.namespaced);
      }
    }
    this.resources = found;
    this.discovered = true;
  }

  /** The resource serving `kind` in `apiVersion`; discovery is refreshed once when it is unknown (a new CRD). */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const key = `${apiVersion}/${kind}`;
    if (!this.discovered || !this.resources.has(key)) await this.refreshDiscovery();
    const info = this.resources.get(key);
    if (!info) {
      const sameGroup = [...this.resources.values()].filter((r) => r.group === splitApiVersion(apiVersion).group);
      const hint = sameGroup.length
        ? `the server serves ${[...new Set(sameGroup.map((r) => `${r.apiVersion} ${r.kind}`))].slice(0, 8).join(', ')} in that group`
        : `the server serves no group "${splitApiVersion(apiVersion).group}" (is its CustomResourceDefinition applied?)`;
      throw new Error(`no resource type for ${apiVersion} ${kind}: ${hint}`);
    }
    return info;
  }

  /** The REST path of a kind's collection (namespace given) or of one object (name given). */
  async pathFor(apiVersion: string, kind: string, options: { namespace?: string; name?: string } = {}): Promise<string> {
    const r = await this.resourceFor(apiVersion, kind);
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const ns = r.namespaced && options.namespace ? `/namespaces/${encodeURIComponent(options.namespace)}` : '';
    if (r.namespaced && options.name !== undefined && !options.namespace) {
      throw new Error(`${apiVersion} ${kind} "${options.name}" is namespaced: give its namespace`);
    }
    return `${base}${ns}/${r.plural}${options.name !== undefined ? `/${encodeURIComponent(options.name)}` : ''}`;
  }

  // ---- CRUD ----

  /** One object, or undefined when it does not exist (404). */
  async get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined> {
    const path = await this.pathFor(apiVersion, kind, { namespace, name });
    const res = await this.request<T>('GET', path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new KubeApiError('GET', path, res.status, statusMessage(res.body, res.text).message);
    return res.body;
  }

  /** The items of a kind, in one namespace or (namespace omitted) everywhere. */
  async list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): Promise<T[]> {
    const body = await this.expectOk<{ items: T[] }>('GET', await this.pathFor(apiVersion, kind, { namespace }));
    return body.items ?? [];
  }

  async create<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T> {
    const r = await this.resourceFor(object.apiVersion, object.kind);
    const namespace = r.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
    return this.expectOk<T>('POST', await this.pathFor(object.apiVersion, object.kind, { namespace }), { body: object });
  }

  /** Deletes one object; false when it did not exist. */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean> {
    const path = await this.pathFor(apiVersion, kind, { namespace, name });
    const res = await this.request('DELETE', path);
    if (res.status === 404) return false;
    if (res.status < 200 || res.status >= 300) throw new KubeApiError('DELETE', path, res.status, statusMessage(res.body, res.text).message);
    return true;
  }

  // ---- server-side apply ----

  /**
   * Server-side applies each object (PATCH application/apply-patch+yaml, force=true unless told
   * otherwise), in order. Rejections are returned, not thrown: see `ApplyError` / `formatApplyFailures`.
   */
  async serverSideApply(objects: readonly KubeObject[], options: ApplyOptions): Promise<ApplyResult[]> {
    const results: ApplyResult[] = [];
    for (const object of objects) results.push(await this.applyOne(object, options));
    return results;
  }

  private async applyOne(object: KubeObject, options: ApplyOptions, file?: string): Promise<ApplyResult> {
    const id = {
      file,
      apiVersion: String(object?.apiVersion ?? '(no apiVersion)'),
      kind: String(object?.kind ?? '(no kind)'),
      name: String(object?.metadata?.name ?? '(no name)'),
      namespace: object?.metadata?.namespace,
    };
    if (!object?.apiVersion || !object.kind || !object.metadata?.name) {
      return { ...id, ok: false, status: 0, message: 'not an object with apiVersion, kind and metadata.name' };
    }
    let path: string;
    let namespace: string | undefined;
    try {
      const r = await this.resourceFor(object.apiVersion, object.kind);
      namespace = r.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
      path = await this.pathFor(object.apiVersion, object.kind, { namespace, name: object.metadata.name });
    } catch (e) {
      return { ...id, ok: false, status: 0, message: (e as Error).message };
    }
    const res = await this.request<KubeObject>('PATCH', path, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: options.fieldManager, force: options.force === false ? undefined : 'true', dryRun: options.dryRun ? 'All' : undefined },
    });
    if (res.status >= 200 && res.status < 300) return { ...id, namespace, ok: true, status: res.status, object: res.body };
    return { ...id, namespace, ok: false, status: res.status, message: statusMessage(res.body, res.text).message };
  }

  /** Waits (bounded) until every named CRD has condition Established=True; throws naming the ones that did not. */
  async waitForCrdsEstablished(names: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    let pending = [...new Set(names)];
    const state = new Map<string, string>();
    for (let i = 0; i < 1000 && pending.length > 0 && Date.now() < deadline; i++) {
      const still: string[] = [];
      for (const name of pending) {
        const res = await this.request<CrdStatus>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}`);
        if (res.status === 404) {
          state.set(name, 'not found');
          still.push(name);
          continue;
        }
        if (res.status !== 200) throw new KubeApiError('GET', `customresourcedefinitions/${name}`, res.status, statusMessage(res.body, res.text).message);
        const conditions = res.body.status?.conditions ?? [];
        const cond = (type: string) => conditions.find((c) => c.type === type);
        const names = cond('NamesAccepted');
        if (names?.status === 'False') throw new Error(`CRD ${name}: names not accepted: ${names.message ?? names.reason ?? ''}`);
        if (cond('Established')?.status === 'True') continue;
        state.set(name, conditions.map((c) => `${c.type}=${c.status}${c.message ? ` (${c.message})` : ''}`).join(', ') || 'no conditions yet');
        still.push(name);
      }
      pending = still;
      if (pending.length > 0) await sleep(200);
    }
    if (pending.length > 0) {
      throw new Error(`CRDs not Established within ${timeoutMs} ms: ${pending.map((n) => `${n} [${state.get(n)}]`).join('; ')}`);
    }
  }

  /**
   * Applies every object of every *.yaml under `dir` (recursive; e.g. charts-out/<cluster>):
   * Namespaces and CRDs first, waits for the CRDs to be Established (and served), then the rest,
   * admission webhook configurations last (no webhook server runs, see lab/controlplane/README.md).
   * Returns one result per object; throws an ApplyError listing every rejected object (file,
   * kind/name, the server's message) when any was rejected.
   */
  async applyDirectory(dir: string, options: ApplyDirectoryOptions = {}): Promise<ApplyResult[]> {
    const apply: ApplyOptions = { fieldManager: options.fieldManager ?? 'fleetnet-test', dryRun: options.dryRun, force: options.force };
    const { objects, errors } = readManifests(dir);
    const results: ApplyResult[] = errors.map((e) => ({ file: e.file, apiVersion: '(unparsed)', kind: '(unparsed)', name: '', ok: false, status: 0, message: e.message }));
    const chosen = objects.filter((m) => !options.filter || options.filter(m.object, m.file));
    const isCrd = (o: KubeObject) => o.apiVersion === 'apiextensions.k8s.io/v1' && o.kind === 'CustomResourceDefinition';
    const isNamespace = (o: KubeObject) => o.apiVersion === 'v1' && o.kind === 'Namespace';
    // Admission webhooks go last: no webhook server runs here, so once registered they would refuse
    // (failurePolicy: Fail) the very objects they guard.
    const isWebhook = (o: KubeObject) =>
      o.apiVersion === 'admissionregistration.k8s.io/v1' && (o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration');
    const first = chosen.filter((m) => isNamespace(m.object) || isCrd(m.object));
    const last = chosen.filter((m) => isWebhook(m.object));
    const rest = chosen.filter((m) => !first.includes(m) && !last.includes(m));
    for (const m of first) results.push(await this.applyOne(m.object, apply, m.file));

    const crds = first.filter((m) => isCrd(m.object)).map((m) => m.object);
    const appliedCrds = crds.filter((c) => results.some((r) => r.ok && r.kind === 'CustomResourceDefinition' && r.name === c.metadata.name));
    if (appliedCrds.length > 0 && !apply.dryRun) {
      await this.waitForCrdsEstablished(appliedCrds.map((c) => c.metadata.name!), { timeoutMs: options.crdTimeoutMs });
      await this.waitForKindsServed(appliedCrds, options.crdTimeoutMs ?? 60_000);
    }
    for (const m of [...rest, ...last]) results.push(await this.applyOne(m.object, apply, m.file));
    if (results.some((r) => !r.ok)) throw new ApplyError(results);
    return results;
  }

  /** Established CRDs can take a moment to show up in discovery: refresh (bounded) until their kinds do. */
  private async waitForKindsServed(crds: readonly KubeObject[], timeoutMs: number): Promise<void> {
    const wanted = crds.flatMap((c) => {
      const spec = c.spec as { group: string; names: { kind: string }; versions: { name: string; served: boolean }[] };
      return spec.versions.filter((v) => v.served).map((v) => `${spec.group}/${v.name}/${spec.names.kind}`);
    });
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < 200 && Date.now() < deadline; i++) {
      await this.refreshDiscovery();
      if (wanted.every((k) => this.resources.has(k))) return;
      await sleep(250);
    }
    // Not fatal here: the objects of a missing kind are reported one by one.
  }

  // ---- identities ----

  /** A token for a ServiceAccount (TokenRequest API). */
  async createToken(namespace: string, serviceAccount: string, options: { audiences?: string[]; expirationSeconds?: number } = {}): Promise<string> {
    const body = await this.expectOk<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`,
      {
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { audiences: options.audiences, expirationSeconds: options.expirationSeconds ?? 3600 },
        },
      },
    );
    return body.status.token;
  }

  /**
   * Asks the authorizer whether a request is allowed: for this client's own identity
   * (SelfSubjectAccessReview), or for `subject` (SubjectAccessReview, needs an admin client).
   */
  async accessReview(attributes: AccessReviewAttributes, subject?: { user: string; groups?: string[]; uid?: string }): Promise<AccessReviewResult> {
    const resourceAttributes = { group: '', ...attributes };
    const review = subject
      ? { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes, ...subject } }
      : { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } };
    const plural = subject ? 'subjectaccessreviews' : 'selfsubjectaccessreviews';
    const body = await this.expectOk<{ status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string } }>(
      'POST',
      `/apis/authorization.k8s.io/v1/${plural}`,
      { body: review },
    );
    const s = body.status ?? {};
    return { allowed: s.allowed === true, denied: s.denied === true, reason: s.reason, evaluationError: s.evaluationError };
  }
}

interface AggregatedDiscovery {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: { resource: string; scope: string; responseKind?: { kind?: string } }[] }[];
  }[];
}

interface CrdStatus {
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** Writes a kubeconfig (one cluster, user and context, all named `name`) for kubectl or a program under test. */
export function writeKubeconfig(path: string, options: { server: string; caPem: string; token: string; name?: string; namespace?: string }): void {
  const name = options.name ?? 'fleetnet-test';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.server, 'certificate-authority-data': Buffer.from(options.caPem).toString('base64') } }],
    users: [{ name, user: { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': name,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
