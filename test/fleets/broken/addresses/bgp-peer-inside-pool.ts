import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", loadBalancer.bgpPeers[0].peerAddress: 198.51.100.65 is inside MetalLB pool "default"`,
  fleet: variant((f) => {
    const x = clusterOf(f, 'prod-x'); x.loadBalancer.pools[0].mode = 'bgp'; x.loadBalancer.bgpPeers = [{ name: 'tor', peerAddress: '198.51.100.65', peerASN: 64500, myASN: 64501 }];
  }),
} satisfies BrokenFleet;
