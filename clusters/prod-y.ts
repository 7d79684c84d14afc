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
  dns: {
    gatewayIP: '198.51.100.98',
    powerdnsIP: '198.51.100.113',
    serviceIP: '10.96.0.10',
    upstreams: ['192.0.2.53', '192.0.2.54'],
    // Served by PowerDNS on powerdnsIP; corporate DNS delegates each zone there. external-dns adds the
    // names of this cluster's LoadBalancer Services and Ingresses (annotation external-dns.kubernetes.io/hostname).
    zones: [
      {
        name: 'static.platform.example',
        soa: { serial: 2026080301, hostmaster: 'dns-team@platform.example' },
        records: [
          { name: 'registry', type: 'A', address: '198.51.100.120' },
          { name: 'registry', type: 'AAAA', address: '2001:db8:100::120' },
          { name: 'git', type: 'CNAME', target: 'registry.static.platform.example' },
          { name: '@', type: 'MX', preference: 10, exchange: 'mail.platform.example' },
          { name: '@', type: 'TXT', text: 'v=spf1 mx -all' },
          { name: '_ldap._tcp', type: 'SRV', priority: 0, weight: 100, port: 389, target: 'ldap.platform.example', ttl: 3600 },
        ],
      },
    ],
  },
  podNetwork: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
});
