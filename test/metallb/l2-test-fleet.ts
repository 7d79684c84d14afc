import { cluster } from '../../fleet/cluster';
import { fleet } from '../../fleet/fleet';

/**
 * A fleet for the test that runs the real MetalLB speaker in L2 mode (speaker.test.ts). Its pools lie in
 * 10.250.0.0/24, a private range that exists only on the veth pair between the two network namespaces
 * that test creates ("fl-node" and "fl-client"); no interface of the machine itself gets an address of it.
 * The management cluster is never run: it is here because a tier needs one (its pool is data only).
 */
const podNetwork = { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };
const dns = { serviceIP: '10.96.0.10', upstreams: ['10.250.0.250'] };

export const l2Mgmt = cluster({
  name: 'l2-mgmt', tier: 'l2', role: 'management', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: { pools: [{ name: 'default', addresses: ['10.250.1.0/29'] }] },
  dns: { ...dns, authorityIP: '10.250.1.1' }, podNetwork,
});

/** Two L2 pools on fl-node's link: one for any Service, one for fixed addresses only. */
export const l2X = cluster({
  name: 'l2-x', tier: 'l2', role: 'workload', apiServer: 'https://127.0.0.1:6443',
  loadBalancer: {
    pools: [
      { name: 'default', addresses: ['10.250.0.64/29'] },
      { name: 'fixed', addresses: ['10.250.0.80-10.250.0.87'], autoAssign: false },
    ],
  },
  dns: { ...dns, gatewayIP: '10.250.0.81' }, podNetwork,
});

export const metallbL2TestFleet = fleet({
  domain: 'platform.test',
  tiers: [{ name: 'l2' }],
  git: { repoURL: 'https://git.example/fleetnet.git' },
  clusters: [l2Mgmt, l2X],
});
