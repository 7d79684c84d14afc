import { cluster } from '../fleet/cluster';

/** Management cluster of tier test: runs the test tier authority. */
export const testMgmt = cluster({
  name: 'test-mgmt',
  tier: 'test',
  role: 'management',
  apiServer: 'https://192.0.2.20:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['203.0.113.32/27'] }] },
  dns: { authorityIP: '203.0.113.53', serviceIP: '10.96.0.10', upstreams: ['192.0.2.53'] },
  podNetwork: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
});
