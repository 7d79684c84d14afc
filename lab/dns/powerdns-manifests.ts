import type { KubeObject } from '../../synth/kube-object';
import { readManifests } from '../controlplane/rendered';

/** A container of the synthesized pod, as far as the tests read it. */
export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  ports?: { name: string; containerPort: number; protocol: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext?: Record<string, unknown>;
}

/** What the PowerDNS tests take from a synthesized `powerdns` stack folder: nothing is re-derived. */
export interface PowerDnsManifests {
  readonly objects: KubeObject[];
  readonly deployment: KubeObject;
  readonly init: ContainerSpec;
  readonly pdns: ContainerSpec;
  readonly externalDns: ContainerSpec;
  /** Keys of the config ConfigMap (pdns.conf, load-zones.sh). */
  readonly config: Record<string, string>;
  /** Keys of the zones ConfigMap (`<zone>.zone`). */
  readonly zones: Record<string, string>;
  /** The pod volumes the two ConfigMaps are mounted from. */
  readonly configVolume: string;
  readonly zonesVolume: string;
  /** Volume name → ConfigMap name or kind of volume. */
  readonly volumes: { name: string; configMap?: { name: string }; emptyDir?: unknown; projected?: unknown }[];
}

function find(objects: KubeObject[], kind: string, predicate: (o: KubeObject) => boolean = () => true): KubeObject {
  const found = objects.filter((o) => o.kind === kind && predicate(o));
  if (found.length !== 1) throw new Error(`expected one ${kind} in the powerdns stack, found ${found.length}`);
  return found[0];
}

/** Parses `charts-out/<cluster>/powerdns/` (the files, as Argo CD would read them). */
export function loadPowerDnsManifests(dir: string): PowerDnsManifests {
  const { objects: files, errors } = readManifests(dir);
  if (errors.length > 0) throw new Error(`unparsable manifests in ${dir}: ${errors.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
  return powerDnsManifests(files.map((f) => f.object));
}

/** The same, from objects already parsed (e.g. a chart synthesized in a test). */
export function powerDnsManifests(objects: KubeObject[]): PowerDnsManifests {
  const deployment = find(objects, 'Deployment');
  const pod = (deployment.spec as { template: { spec: { initContainers: ContainerSpec[]; containers: ContainerSpec[]; volumes: PowerDnsManifests['volumes'] } } }).template.spec;
  const byName = (list: ContainerSpec[], name: string) => {
    const c = list.find((x) => x.name === name);
    if (!c) throw new Error(`the PowerDNS pod has no container "${name}" (has ${list.map((x) => x.name).join(', ')})`);
    return c;
  };
  const volumeConfigMap = (container: ContainerSpec, mountPathEnd: string) => {
    const mount = container.volumeMounts?.find((m) => pod.volumes.find((v) => v.name === m.name)?.configMap && m.mountPath.endsWith(mountPathEnd));
    const volume = pod.volumes.find((v) => v.name === mount?.name);
    if (!volume?.configMap) throw new Error(`no ConfigMap volume mounted at *${mountPathEnd} in ${container.name}`);
    return { volume: volume.name, data: find(objects, 'ConfigMap', (o) => o.metadata.name === volume.configMap!.name).data as Record<string, string> };
  };
  const init = byName(pod.initContainers ?? [], 'load-zones');
  const config = volumeConfigMap(init, '/fleetnet');
  const zones = volumeConfigMap(init, '/zones');
  return {
    objects,
    deployment,
    init,
    pdns: byName(pod.containers, 'pdns'),
    externalDns: byName(pod.containers, 'external-dns'),
    config: config.data,
    zones: zones.data,
    configVolume: config.volume,
    zonesVolume: zones.volume,
    volumes: pod.volumes,
  };
}
