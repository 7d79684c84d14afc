import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", dns.gatewayIP: 198.51.100.66 is also the gateway of "prod-x" in tier "prod"`,
  fleet: variant((f) => {
    const y = clusterOf(f, 'prod-y'); y.loadBalancer.network = 'site-b'; y.loadBalancer.pools[0].addresses = ['198.51.100.64/28']; y.dns.gatewayIP = '198.51.100.66';
  }),
} satisfies BrokenFleet;
