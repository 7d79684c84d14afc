import { cluster } from '../fleet/cluster';

/** The one workload cluster of tier test: two nodes on a bridge CNI chain, a /24 of pods each. */
export const testX = cluster({
  name: 'test-x',
  tier: 'test',
  role: 'workload',
  apiServer: 'https://192.0.2.21:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['203.0.113.64/27'] }] },
  dns: { gatewayIP: '203.0.113.66', serviceIP: '10.96.0.10', upstreams: ['192.0.2.53'] },
  podNetwork: {
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/16',
    cni: {
      nodes: [
        { name: 'test-x-1', subnet: '10.244.0.0/24' },
        { name: 'test-x-2', subnet: '10.244.1.0/24' },
      ],
      chain: ['portmap', 'bandwidth', 'firewall'],
    },
  },
  // The test tier runs no Argo CD: bootstrap/ applies charts-out/test-x/ itself, in sync-wave order.
  bootstrap: { mode: 'direct' },
});
