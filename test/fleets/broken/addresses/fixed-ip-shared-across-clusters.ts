import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", dns.gatewayIP: 198.51.100.66 is already dns.gatewayIP of cluster "prod-x"',
  fleet: variant((f) => {
    const t = clusterOf(f, 'test-x');
    t.loadBalancer.pools[0].addresses = ['198.51.100.64/27'];
    t.dns.gatewayIP = '198.51.100.66';
  }),
} satisfies BrokenFleet;
