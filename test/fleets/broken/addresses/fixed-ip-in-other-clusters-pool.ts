import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.gatewayIP: 198.51.100.70 (dns.gatewayIP) is inside MetalLB pool "default" (198.51.100.64/27) of cluster "prod-x"`,
  fleet: variant((f) => {
    const t = clusterOf(f, 'test-x'); t.loadBalancer.pools.push({ name: 'borrowed', addresses: ['198.51.100.70/32'] }); t.dns.gatewayIP = '198.51.100.70';
  }),
} satisfies BrokenFleet;
