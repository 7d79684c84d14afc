import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';

/**
 * A fleet whose MetalLB pools are loopback addresses (127.0.20.0/24), synthesized by the same code as
 * the example fleet, for the tests that run the real MetalLB controller. The controller only writes
 * these addresses into Service status; nothing is announced or sent to them.
 */
const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const dns = { serviceIP: '10.96.0.10', upstreams: ['127.0.20.99'] };

export const lbMgmt = cluster({
  name: 'lb-mgmt', tier: 'lb', role: 'management', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['127.0.21.0/29'] }] },
  dns: { ...dns, authorityIP: '127.0.21.1' }, podNetwork,
});

/** Three pools: one for any Service, one for fixed addresses only, and one of a single address. */
export const lbX = cluster({
  name: 'lb-x', tier: 'lb', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: {
    pools: [
      { name: 'default', addresses: ['127.0.20.0/29'] },
      { name: 'fixed', addresses: ['127.0.20.16-127.0.20.23'], autoAssign: false },
      { name: 'single', addresses: ['127.0.20.32/32'], autoAssign: false },
    ],
  },
  dns: { ...dns, gatewayIP: '127.0.20.17' }, podNetwork,
});

export const metallbTestFleet = fleet({
  domain: 'platform.test',
  tiers: [{ name: 'lb' }],
  git: { repoURL: 'https://git.example/fleetnet.git' },
  clusters: [lbMgmt, lbX],
});
