import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** A kubeconfig with one context per entry (context name → API server URL). Written only; nothing connects. */
export function writeKubeconfigFile(path: string, contexts: Readonly<Record<string, string>>): string {
  const names = Object.keys(contexts);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: names.map((name) => ({ name: `${name}-cluster`, cluster: { server: contexts[name] } })),
      users: [{ name: 'operator', user: { token: 'not-a-real-token' } }],
      contexts: names.map((name) => ({ name, context: { cluster: `${name}-cluster`, user: 'operator' } })),
    }),
  );
  return path;
}
