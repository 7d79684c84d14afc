import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.gatewayIP: 203.0.113.66 is also loadBalancer.bgpPeers[0].peerAddress of cluster "prod-x" (BGP peer)`,
  fleet: variant((f) => {
    const x = clusterOf(f, 'prod-x'); x.loadBalancer.pools[0].mode = 'bgp'; x.loadBalancer.bgpPeers = [{ name: 'tor', peerAddress: '203.0.113.66', peerASN: 64500, myASN: 64501 }];
  }),
} satisfies BrokenFleet;
