import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.cni.cniVersion: 0.3.1 is not supported by firewall (firewall: 0.4.0+)',
  fleet: variant((f) => { clusterOf(f, 'test-x').podNetwork.cni = { cniVersion: '0.3.1', chain: ['portmap', 'firewall'] }; }),
} satisfies BrokenFleet;
