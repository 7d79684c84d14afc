import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';

/**
 * A loopback fleet (127.0.17.0/24) whose prod tier has two authorities: the management cluster's and
 * a secondary one on workload cluster x. `singleAuthorityFleet` is the same fleet without the second.
 */
const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const dns = { serviceIP: '10.96.0.10', upstreams: ['127.0.17.99'] };

export const mgmt = cluster({
  name: 'ha-mgmt', tier: 'prod', role: 'management', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.17.48/28'] }] },
  dns: { ...dns, authorityIP: '127.0.17.53' }, podNetwork,
});
const xProps = {
  name: 'ha-x', tier: 'prod', role: 'workload' as const, apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.17.0/28'] }] },
  podNetwork,
};
export const x = cluster({ ...xProps, dns: { ...dns, gatewayIP: '127.0.17.1', secondaryAuthorityIP: '127.0.17.2' } });
const xAlone = cluster({ ...xProps, dns: { ...dns, gatewayIP: '127.0.17.1' } });
export const y = cluster({
  name: 'ha-y', tier: 'prod', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.17.16/28'] }] },
  dns: { ...dns, gatewayIP: '127.0.17.17' }, podNetwork,
});

const base = { domain: 'platform.test', tiers: [{ name: 'prod', ttl: 5 }], git: { repoURL: 'https://git.example/fleetnet.git' } };
export const haFleet = fleet({ ...base, clusters: [mgmt, x, y] });
export const singleAuthorityFleet = fleet({ ...base, clusters: [mgmt, xAlone, y] });
export const ZONE = 'prod.platform.test';
