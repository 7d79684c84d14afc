import { cluster } from '../fleet/cluster';

/** Management cluster of tier prod: runs the prod tier authority. */
export const prodMgmt = cluster({
  name: 'prod-mgmt',
  tier: 'prod',
  role: 'management',
  apiServer: 'https://192.0.2.10:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['198.51.100.32/27'] }] },
  dns: { authorityIP: '198.51.100.53', serviceIP: '10.96.0.10', upstreams: ['192.0.2.53', '192.0.2.54'] },
  podNetwork: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
});
