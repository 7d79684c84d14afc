import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: "cluster \"test-x\", loadBalancer.bgpPeers: a pool uses mode 'bgp' but the cluster has no BGP peer",
  fleet: variant((f) => { clusterOf(f, 'test-x').loadBalancer.pools[0].mode = 'bgp'; }),
} satisfies BrokenFleet;
