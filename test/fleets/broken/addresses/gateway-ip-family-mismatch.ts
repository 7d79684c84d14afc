import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.gatewayIP: 2001:db8:10::53 is IPv6, but the cluster's Services are IPv4`,
  fleet: variant((f) => {
    const x = clusterOf(f, 'prod-x'); x.loadBalancer.pools.push({ name: 'v6', addresses: ['2001:db8:10::/120'] }); x.dns.gatewayIP = '2001:db8:10::53';
  }),
} satisfies BrokenFleet;
