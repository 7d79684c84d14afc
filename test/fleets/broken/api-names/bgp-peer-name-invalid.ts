import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", loadBalancer.bgpPeers[0].name: "tor_1" is not a DNS label, so the API server would refuse the BGPPeer`,
  fleet: variant((f) => {
    const x = clusterOf(f, 'prod-x'); x.loadBalancer.pools[0].mode = 'bgp'; x.loadBalancer.bgpPeers = [{ name: 'tor_1', peerAddress: '192.0.2.1', peerASN: 64500, myASN: 64501 }];
  }),
} satisfies BrokenFleet;
