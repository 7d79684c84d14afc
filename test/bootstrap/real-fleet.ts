import { cluster } from '../../fleet/cluster';
import { fleet, type Fleet } from '../../fleet/fleet';
import type { CniChainedPluginType } from '../../fleet/cluster';
import { ClusterDnsStack, ClusterGatewayStack, CniStack } from '../../stacks';

/**
 * A fleet for the real-engine bootstrap tests: the cluster under test (`bt-direct` or `bt-argocd`) has
 * its apiServer at the test's real kube-apiserver on 127.0.0.1; every other address is data in the
 * lab range 198.18.0.0/15 (nothing sends packets to it). Its stacks are the CNI install (its own pod
 * network, the case where order matters), cluster DNS and the gateway. MetalLB is left out: its
 * IPAddressPool is admitted only through MetalLB's own webhook, and an API server without nodes has
 * no webhook Pod to call.
 */
export interface RealFleetOptions {
  /** The kube-apiserver the cluster under test is reached at. */
  readonly apiServer: string;
  readonly underTest: 'bt-direct' | 'bt-argocd';
  /**
   * The CNI chain after the bridge: changing it changes exactly one object (the CNI install's ConfigMap).
   * @default ['portmap', 'bandwidth']
   */
  readonly cniChain?: readonly CniChainedPluginType[];
}

export function realFleet(options: RealFleetOptions): Fleet {
  const podNetwork = { podCidr: '198.19.8.0/21', serviceCidr: '198.19.0.0/21' };
  const stacks = [CniStack, ClusterDnsStack, ClusterGatewayStack];
  const workload = (name: 'bt-direct' | 'bt-argocd', n: number) =>
    cluster({
      name,
      tier: 'bt',
      role: 'workload',
      apiServer: options.underTest === name ? options.apiServer : `https://198.18.${n}.2:6443`,
      loadBalancer: { pools: [{ name: 'default', addresses: [`198.18.${n}.16/28`] }], network: name },
      dns: { gatewayIP: `198.18.${n}.17`, serviceIP: '198.19.0.10', upstreams: ['198.18.0.53'] },
      podNetwork: { ...podNetwork, cni: { nodes: [{ name, subnet: '198.19.8.0/24' }], chain: options.cniChain ?? ['portmap', 'bandwidth'] } },
      stacks,
      bootstrap: { mode: name === 'bt-direct' ? 'direct' : 'argocd' },
    });
  return fleet({
    domain: 'platform.test',
    tiers: [{ name: 'bt' }],
    git: { repoURL: 'https://git.example/fleetnet.git', revision: 'main', basePath: 'charts-out' },
    clusters: [
      cluster({
        name: 'bt-mgmt', tier: 'bt', role: 'management', apiServer: 'https://198.18.1.2:6443',
        loadBalancer: { pools: [{ name: 'default', addresses: ['198.18.1.16/28'] }], network: 'bt-mgmt' },
        dns: { authorityIP: '198.18.1.17', serviceIP: '198.19.0.10', upstreams: ['198.18.0.53'] }, podNetwork,
      }),
      workload('bt-direct', 2),
      workload('bt-argocd', 3),
    ],
  });
}
