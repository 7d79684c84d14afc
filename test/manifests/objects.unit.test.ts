import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChartsOut } from './load';

const objects = loadChartsOut(resolve(__dirname, '../../charts-out'));

/** Kinds that live outside namespaces; everything else must say its namespace. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'PriorityClass', 'StorageClass']);

describe('every synthesized object', () => {
  it('has an explicit, hash-free DNS name', () => {
    for (const { file, object } of objects) {
      expect(object.metadata.name, file).toMatch(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
      expect(object.metadata.name, file).not.toMatch(/-c8[0-9a-f]{6}$/);
    }
  });

  it('names its namespace when namespaced, and only then', () => {
    for (const { file, object } of objects) {
      if (CLUSTER_SCOPED.has(object.kind)) expect(object.metadata.namespace, file).toBeUndefined();
      else expect(object.metadata.namespace, file).toBeTruthy();
    }
  });

  it('Namespaces carry Pod Security labels', () => {
    for (const { file, object } of objects.filter((o) => o.object.kind === 'Namespace')) {
      expect(object.metadata.labels?.['pod-security.kubernetes.io/enforce'], file).toMatch(/^(privileged|baseline|restricted)$/);
      expect(object.metadata.labels?.['pod-security.kubernetes.io/audit'], file).toBe('restricted');
    }
  });
});
