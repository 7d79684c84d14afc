import { App, Chart } from 'cdk8s';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Application } from '../../constructs/argocd/application';

/**
 * A small app-of-apps in the shape of charts-out (`<cluster>/argocd/` with a root Application that
 * lists itself, one folder per stack), built with the project's own Application construct, for Argo
 * CD tests on a control plane without a kubelet (nothing in it needs a Pod to become healthy):
 *   wave 0  `first`:  Namespace lab-first, the CRD of a `Gate`, one Gate, ConfigMap `records` (a zone)
 *   wave 10 `second`: ConfigMaps `dependent` and `extra`
 * A Gate is Progressing until a test opens it (status.open, see GATE_HEALTH_LUA): the proof that Argo CD
 * holds wave 10 until wave 0 is healthy.
 */

export const TREE_CLUSTER = 'lab';
export const TREE_REPO_URL = 'https://git.example/lab/fleetnet.git';
export const TREE_APPS = ['fleetnet-root', 'fleetnet-first', 'fleetnet-second'] as const;
export const GATE_HEALTH_KEY = 'resource.customizations.health.lab.fleetnet.io_Gate';
export const GATE_HEALTH_LUA = `if obj.status ~= nil and obj.status.open == true then
  return { status = "Healthy", message = "open" }
end
return { status = "Progressing", message = "waiting for the test to open the gate" }
`;

export const RECORDS_V1 = 'www 300 IN A 198.18.0.10\n';
export const RECORDS_V2 = 'www 300 IN A 198.18.0.20\n';

function write(dir: string, file: string, object: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), stringify(object));
}

/** Writes the tree under `<chartsOut>/<TREE_CLUSTER>/`; returns `chartsOut`. */
export function writeTree(chartsOut: string): string {
  const base = join(chartsOut, TREE_CLUSTER);
  const app = new App();
  const chart = new Chart(app, 'argocd', { disableResourceNameHashes: true });
  const common = { repoURL: TREE_REPO_URL, targetRevision: 'main' };
  const apps = [
    new Application(chart, 'root', { ...common, name: 'fleetnet-root', path: `charts-out/${TREE_CLUSTER}/argocd` }),
    new Application(chart, 'first', { ...common, name: 'fleetnet-first', path: `charts-out/${TREE_CLUSTER}/first`, syncWave: 0, serverSideApply: true }),
    new Application(chart, 'second', { ...common, name: 'fleetnet-second', path: `charts-out/${TREE_CLUSTER}/second`, syncWave: 10 }),
  ];
  for (const a of apps) write(join(base, 'argocd'), `application.${a.name}.yaml`, a.apiObject.toJson());

  const first = join(base, 'first');
  write(first, 'namespace.lab-first.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab-first' } });
  write(first, 'customresourcedefinition.gates.lab.fleetnet.io.yaml', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gates.lab.fleetnet.io' },
    spec: {
      group: 'lab.fleetnet.io',
      names: { kind: 'Gate', plural: 'gates', singular: 'gate', listKind: 'GateList' },
      scope: 'Namespaced',
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: {
          spec: { type: 'object', properties: { note: { type: 'string' } } },
          status: { type: 'object', properties: { open: { type: 'boolean' } } },
        } } },
      }],
    },
  });
  write(first, 'gate.wave-0.yaml', { apiVersion: 'lab.fleetnet.io/v1', kind: 'Gate', metadata: { name: 'wave-0', namespace: 'lab-first' }, spec: { note: 'holds wave 10' } });
  write(first, 'configmap.records.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'records', namespace: 'lab-first' }, data: { 'lab.zone': RECORDS_V1 } });

  const second = join(base, 'second');
  write(second, 'configmap.dependent.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dependent', namespace: 'lab-first' }, data: { wave: '10' } });
  write(second, 'configmap.extra.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'lab-first' }, data: { removed: 'by a later commit' } });
  return chartsOut;
}
