import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';

/**
 * A fleet whose every address is on loopback (127.0.10.0/24), synthesized by the same code as the
 * example fleet, so the end-to-end tests run the real Corefiles against real processes here.
 */
const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const dns = { serviceIP: '10.96.0.10', upstreams: ['127.0.10.99'] };

export const mgmt = cluster({
  name: 'lo-mgmt', tier: 'prod', role: 'management', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.10.48/28'] }] },
  dns: { ...dns, authorityIP: '127.0.10.53' }, podNetwork,
});
export const x = cluster({
  name: 'lo-x', tier: 'prod', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.10.0/28'] }] },
  dns: { ...dns, gatewayIP: '127.0.10.1' }, podNetwork,
});
export const y = cluster({
  name: 'lo-y', tier: 'prod', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.10.16/28'] }] },
  dns: { ...dns, gatewayIP: '127.0.10.17' }, podNetwork,
});

/** TTL 5 s keeps the "answer follows a moved workload" test short. */
export const loopbackFleet = fleet({
  domain: 'platform.test',
  tiers: [{ name: 'prod', ttl: 5 }],
  git: { repoURL: 'https://git.example/fleetnet.git' },
  clusters: [mgmt, x, y],
});
