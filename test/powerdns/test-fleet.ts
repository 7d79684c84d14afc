import { join } from 'node:path';
import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';

/**
 * A fleet whose every address is on loopback (127.0.53.0/24), with one cluster running PowerDNS, so
 * the PowerDNS tests run the synthesized manifests against real processes here.
 */
const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const dns = { serviceIP: '10.96.0.10', upstreams: ['127.0.53.99'] };

/** The serial of the typed zone in Git; external-dns's edits must raise it. */
export const STATIC_SERIAL = 2026010101;

export const pdMgmt = cluster({
  name: 'pd-mgmt', tier: 'prod', role: 'management', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.53.32/28'] }] },
  dns: { ...dns, authorityIP: '127.0.53.33' }, podNetwork,
});

export const pdY = cluster({
  name: 'pd-y', tier: 'prod', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.53.48/28'] }] },
  dns: {
    ...dns,
    gatewayIP: '127.0.53.49',
    powerdnsIP: '127.0.53.53',
    zones: [
      {
        name: 'static.platform.test',
        soa: { serial: STATIC_SERIAL },
        ttl: 60,
        records: [
          { name: 'registry', type: 'A', address: '127.0.61.10' },
          { name: 'registry', type: 'AAAA', address: 'fd00:53::10' },
          { name: 'git', type: 'CNAME', target: 'registry.static.platform.test' },
          { name: '@', type: 'MX', preference: 10, exchange: 'mail.platform.test' },
          { name: '@', type: 'TXT', text: 'v=spf1 mx -all' },
          { name: '_ldap._tcp', type: 'SRV', priority: 0, weight: 100, port: 389, target: 'registry.static.platform.test' },
        ],
      },
      { name: 'lab.platform.test', file: join(__dirname, 'zones', 'lab.platform.test.zone') },
    ],
  },
  podNetwork,
});

export const powerdnsFleet = fleet({
  domain: 'platform.test',
  tiers: [{ name: 'prod', ttl: 5 }],
  git: { repoURL: 'https://git.example/fleetnet.git' },
  clusters: [pdMgmt, pdY],
});
