import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", dns.gatewayIP: 198.51.100.67 is the tier authority's own address (dns.secondaryAuthorityIP of "prod-x")`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').dns.secondaryAuthorityIP = '198.51.100.67';
    const y = clusterOf(f, 'prod-y');
    y.loadBalancer.network = 'site-b';
    y.loadBalancer.pools = [{ name: 'default', addresses: ['198.51.100.64/27'] }];
    y.dns.powerdnsIP = undefined;
    y.dns.zones = undefined;
    y.dns.gatewayIP = '198.51.100.67';
  }),
} satisfies BrokenFleet;
