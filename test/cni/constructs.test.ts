import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CniInstall } from '../../constructs/cni/install';
import { CniNetworkConfigList, cniConfigProblems } from '../../constructs/cni/network-config';
import { BandwidthPlugin, BridgePlugin, FirewallPlugin, HostLocalIpam, MizarCniPlugin, PortmapPlugin, TuningPlugin } from '../../constructs/cni/plugins';
import { clusterCniNetworks, validateClusterCniNetworkProps } from '../../constructs/cni/cluster-network';
import { fleet } from '../../clusters/index';
import { defaultStacks } from '../../stacks/index';
import { CniStack } from '../../stacks/cni';

const bridge = () => new BridgePlugin({ ipam: new HostLocalIpam({ subnets: ['10.88.0.0/24'] }) });
const problemsOf = (plugins: ConstructorParameters<typeof CniNetworkConfigList>[0]['plugins'], cniVersion?: string, name = 'net') =>
  cniConfigProblems({ name, cniVersion, plugins }).map((p) => `${p.field}: ${p.problem}`);

describe('CNI chain validation', () => {
  it('accepts bridge + portmap + bandwidth + tuning + firewall at 1.0.0', () => {
    expect(problemsOf([bridge(), new PortmapPlugin(), new BandwidthPlugin(), new TuningPlugin(), new FirewallPlugin()])).toEqual([]);
  });

  it('needs exactly one main plugin, first', () => {
    expect(problemsOf([new PortmapPlugin()])).toEqual(['plugins: the chain has no main plugin, so no pod gets an interface']);
    expect(problemsOf([new PortmapPlugin(), bridge()])).toEqual(['plugins[1]: main plugin "bridge" comes after "portmap", which needs the interface it creates']);
    expect(problemsOf([bridge(), new MizarCniPlugin()], '0.3.1')).toEqual(['plugins[1]: a second main plugin "mizarcni" (after "bridge"); a pod gets its interface from exactly one']);
  });

  it('lists each plugin once', () => {
    expect(problemsOf([bridge(), new PortmapPlugin(), new PortmapPlugin()])).toEqual(['plugins[2]: plugin "portmap" is already in the chain at plugins[1]']);
  });

  it('needs a cniVersion every plugin supports', () => {
    expect(problemsOf([new MizarCniPlugin(), new PortmapPlugin(), new FirewallPlugin()], '0.3.1')).toEqual([
      'plugins[2]: plugin "firewall" does not support cniVersion 0.3.1 (it supports 0.4.0, 1.0.0)',
    ]);
    expect(problemsOf([new MizarCniPlugin(), new PortmapPlugin()], '1.0.0')).toEqual(['plugins[0]: plugin "mizarcni" does not support cniVersion 1.0.0 (it supports 0.2.0, 0.3.0, 0.3.1)']);
    expect(problemsOf([bridge(), new PortmapPlugin()], '0.2.0')).toEqual(['cniVersion: chaining needs cniVersion 0.3.0 or later, got 0.2.0']);
    expect(problemsOf([bridge()], '0.9.9')).toEqual(['cniVersion: "0.9.9" is not a CNI specification version']);
  });

  it('needs a valid network name, and throws with every problem and its fix', () => {
    expect(problemsOf([bridge()], '1.0.0', '-net')).toEqual(['name: "-net" is not a CNI network name']);
    expect(() => new CniNetworkConfigList({ name: 'x', plugins: [new PortmapPlugin(), new PortmapPlugin()] })).toThrow(
      /CNI network "x" is invalid:\n {2}- plugins: the chain has no main plugin.*Fix: put bridge or mizarcni first\n {2}- plugins\[1\]: plugin "portmap" is already in the chain/s,
    );
  });

  it('renders capabilities for portmap and bandwidth and nests host-local in the bridge', () => {
    const list = new CniNetworkConfigList({ name: 'pods', plugins: [bridge(), new PortmapPlugin(), new BandwidthPlugin()] });
    expect(JSON.parse(list.render())).toEqual({
      cniVersion: '1.0.0',
      name: 'pods',
      plugins: [
        { type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: true, hairpinMode: true, ipam: { type: 'host-local', ranges: [[{ subnet: '10.88.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] } },
        { type: 'portmap', capabilities: { portMappings: true }, snat: true },
        { type: 'bandwidth', capabilities: { bandwidth: true } },
      ],
    });
    expect(list.fileName).toBe('10-pods.conflist');
  });
});

describe('CniInstall', () => {
  const network = new CniNetworkConfigList({ name: 'pods', plugins: [bridge(), new PortmapPlugin()] });
  const synth = (props: Partial<ConstructorParameters<typeof CniInstall>[2]> = {}) => {
    const chart = new Chart(Testing.app(), 'c', { disableResourceNameHashes: true });
    new CniInstall(chart, 'install', { namespace: 'cni-system', nodes: [{ name: 'node-1', network }], ...props });
    return Testing.synth(chart) as { kind: string; data?: Record<string, string>; spec?: any }[];
  };

  it('puts the conflist in a ConfigMap and writes it from an unprivileged, capability-free container', () => {
    const objs = synth();
    expect(objs.find((o) => o.kind === 'ConfigMap')!.data).toEqual({ 'node-1': network.render() });
    const pod = objs.find((o) => o.kind === 'DaemonSet')!.spec.template.spec;
    const sc = pod.containers[0].securityContext;
    expect(sc.privileged).toBeUndefined();
    expect(sc).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(sc.capabilities.add).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes.filter((v: { hostPath?: { path: string } }) => v.hostPath).map((v: { hostPath: { path: string } }) => v.hostPath.path)).toEqual(['/etc/cni/net.d']);
  });

  it('copies plugin binaries from an image volume only when asked', () => {
    const pod = synth({ pluginBinaries: { image: { image: 'example.org/cni-plugins', version: 'v1.1.1' }, directory: '/opt/cni/bin' } }).find((o) => o.kind === 'DaemonSet')!.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'plugins', image: { reference: 'example.org/cni-plugins:v1.1.1', pullPolicy: 'IfNotPresent' } });
    expect(pod.volumes).toContainEqual({ name: 'bin', hostPath: { path: '/opt/cni/bin', type: 'DirectoryOrCreate' } });
    expect(pod.containers[0].env).toContainEqual({ name: 'PLUGIN_SRC', value: '/plugins/opt/cni/bin' });
  });
});

describe('per-node ranges', () => {
  const nodes = [{ name: 'node-a', subnet: '10.244.0.0/24' }, { name: 'node-b.example', subnet: '10.244.1.0/24' }];
  const issuesOf = (n: { name: string; subnet: string }[]) => validateClusterCniNetworkProps({ nodes: n }).map((i) => `${i.field}: ${i.problem}`);

  it('gives each node a list with its own subnet, keyed by node name, and schedules only onto those nodes', () => {
    const chart = new Chart(Testing.app(), 'c', { disableResourceNameHashes: true });
    const install = new CniInstall(chart, 'install', { namespace: 'cni-system', nodes: clusterCniNetworks({ nodes }) });
    const objs = Testing.synth(chart) as { kind: string; data?: Record<string, string>; spec?: any }[];
    const data = objs.find((o) => o.kind === 'ConfigMap')!.data!;
    expect(Object.keys(data)).toEqual(['node-a', 'node-b.example']);
    expect(JSON.parse(data['node-a']).plugins[0].ipam.ranges).toEqual([[{ subnet: '10.244.0.0/24' }]]);
    expect(JSON.parse(data['node-b.example']).plugins[0].ipam.ranges).toEqual([[{ subnet: '10.244.1.0/24' }]]);
    const pod = objs.find((o) => o.kind === 'DaemonSet')!.spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] },
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b.example'] }] },
    ]);
    expect(pod.containers[0].env).toContainEqual({ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
    expect(install.fileName).toBe('10-fleetnet.conflist');
  });

  it('refuses no node, overlapping subnets, repeated or invalid names', () => {
    expect(issuesOf([])).toEqual(['nodes: no node is listed, so no node gets a pod network']);
    expect(issuesOf([nodes[0], { name: 'node-c', subnet: '10.244.0.128/25' }])).toEqual([
      'nodes[1].subnet: 10.244.0.128/25 of node "node-c" overlaps 10.244.0.0/24 of node "node-a" (nodes[0]), so both nodes would hand out the same pod addresses',
    ]);
    expect(issuesOf([nodes[0], { name: 'node-a', subnet: '10.244.2.0/24' }])).toEqual(['nodes[1].name: node "node-a" is already listed at nodes[0]']);
    expect(issuesOf([{ name: 'Node_A', subnet: '10.244.0.0/33' }])).toEqual(['nodes[0].name: "Node_A" is not a node name', 'nodes[0].subnet: "10.244.0.0/33" is not a CIDR']);
    expect(() => clusterCniNetworks({ nodes: [nodes[0], nodes[0]] })).toThrow(/ClusterCniNetwork, nodes\[1\]\.name: node "node-a" is already listed at nodes\[0\]\. Fix: list each node once/);
    const network = new CniNetworkConfigList({ name: 'pods', plugins: [bridge()] });
    const other = new CniNetworkConfigList({ name: 'other', plugins: [bridge()] });
    expect(() => new CniInstall(new Chart(Testing.app(), 'x'), 'i', { namespace: 'n', nodes: [] })).toThrow(/CniInstall i, nodes: no node is listed/);
    expect(() => new CniInstall(new Chart(Testing.app(), 'y'), 'i', { namespace: 'n', nodes: [{ name: 'a', network }, { name: 'b', network: other }] })).toThrow(
      /nodes\[1\]\.network: writes 10-other\.conflist, but nodes\[0\] writes 10-pods\.conflist/,
    );
  });
});

describe('CniStack in the fleet', () => {
  it('goes to exactly the clusters with podNetwork.cni', () => {
    for (const cluster of fleet.clusters) {
      expect(defaultStacks(cluster).includes(CniStack), cluster.name).toBe(cluster.podNetwork.cni !== undefined);
    }
    expect(fleet.clusters.some((c) => c.podNetwork.cni)).toBe(true);
  });
});
