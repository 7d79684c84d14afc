import { cluster } from '../fleet/cluster';

/** Workload cluster X of tier prod, on Mizar. */
export const prodX = cluster({
  name: 'prod-x',
  tier: 'prod',
  role: 'workload',
  apiServer: 'https://192.0.2.11:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['198.51.100.64/27'] }] },
  dns: { gatewayIP: '198.51.100.66', serviceIP: '10.96.0.10', upstreams: ['192.0.2.53', '192.0.2.54'], daemonSet: true },
  podNetwork: {
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/16',
    mizar: { vpcCidr: '172.20.0.0/16', subnetCidr: '172.20.0.0/18' },
  },
});
