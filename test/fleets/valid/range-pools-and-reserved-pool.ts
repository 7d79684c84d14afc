import { clusterOf, variant } from '../variant';

/** Inclusive ranges beside CIDRs, and a fixed IP in a pool that MetalLB never hands out on its own. */
export default variant((f) => {
  const x = clusterOf(f, 'prod-x');
  x.loadBalancer.pools.push({ name: 'range', addresses: ['198.51.100.200-198.51.100.210'], autoAssign: false });
  x.dns.gatewayIP = '198.51.100.205';
});
