import { cluster } from '../fleet/cluster';

/** Workload cluster Y of tier prod; also runs PowerDNS for zones kept in Git. */
export const prodY = cluster({
  name: 'prod-y',
  tier: 'prod',
  role: 'workload',
  apiServer: 'https://192.0.2.12:6443',
  loadBalancer: {
    pools: [
      { name: 'default', addresses: ['198.51.100.96/28'] },
      { name: 'reserved', addresses: ['198.51.100.112-198.51.100.126'], autoAssign: false },
    ],
  },
  dns: { gatewayIP: '198.51.100.98', powerdnsIP: '198.51.100.113', serviceIP: '10.96.0.10', upstreams: ['192.0.2.53', '192.0.2.54'] },
  podNetwork: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
});
