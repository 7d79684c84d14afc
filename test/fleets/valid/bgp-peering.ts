import { clusterOf, variant } from '../variant';

/** Pools announced by BGP to two routers (4-byte ASNs among them), beside an L2 pool. */
export default variant((f) => {
  const y = clusterOf(f, 'prod-y');
  y.loadBalancer.pools[0].mode = 'bgp';
  y.loadBalancer.bgpPeers = [
    { name: 'tor-a', peerAddress: '192.0.2.250', peerASN: 4200000001, myASN: 4200000100 },
    { name: 'tor-b', peerAddress: '192.0.2.251', peerASN: 64512, myASN: 64513 },
  ];
});
