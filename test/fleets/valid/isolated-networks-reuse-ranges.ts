import { clusterOf, variant } from '../variant';

/** Two clusters on isolated networks may reuse the same pool and fixed IP. */
export default variant((f) => {
  const t = clusterOf(f, 'test-x');
  t.loadBalancer.network = 'lab';
  t.loadBalancer.pools[0].addresses = ['198.51.100.64/27'];
  t.dns.gatewayIP = '198.51.100.66';
});
