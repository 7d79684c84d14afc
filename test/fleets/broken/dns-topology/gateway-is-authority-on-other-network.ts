import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.gatewayIP: 198.51.100.53 is the tier authority's own address`,
  fleet: variant((f) => {
    const x = clusterOf(f, 'prod-x'); x.loadBalancer.network = 'site-b'; x.loadBalancer.pools = [{ name: 'default', addresses: ['198.51.100.32/27'] }]; x.dns.gatewayIP = '198.51.100.53';
  }),
} satisfies BrokenFleet;
