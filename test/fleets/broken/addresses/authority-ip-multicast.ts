import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-mgmt", dns.authorityIP: 224.0.0.53 is a multicast address`,
  fleet: variant((f) => {
    const m = clusterOf(f, 'test-mgmt'); m.loadBalancer.pools.push({ name: 'mc', addresses: ['224.0.0.0/28'] }); m.dns.authorityIP = '224.0.0.53';
  }),
} satisfies BrokenFleet;
