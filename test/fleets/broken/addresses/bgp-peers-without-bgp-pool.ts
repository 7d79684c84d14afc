import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", loadBalancer.bgpPeers: BGP peers are listed but no pool has mode 'bgp'`,
  fleet: variant((f) => { clusterOf(f, 'prod-y').loadBalancer.bgpPeers = [{ name: 'tor-a', peerAddress: '192.0.2.250', peerASN: 64512, myASN: 64513 }]; }),
} satisfies BrokenFleet;
