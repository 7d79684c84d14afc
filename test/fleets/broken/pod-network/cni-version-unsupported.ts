import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", podNetwork.cni.chain[1]: plugin "firewall" does not support cniVersion 0.3.1 (it supports 0.4.0, 1.0.0)',
  fleet: variant((f) => { clusterOf(f, 'test-x').podNetwork.cni = { ...clusterOf(f, 'test-x').podNetwork.cni!, cniVersion: '0.3.1', chain: ['portmap', 'firewall'] }; }),
} satisfies BrokenFleet;
