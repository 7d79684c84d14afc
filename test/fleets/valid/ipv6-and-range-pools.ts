import { clusterOf, variant } from '../variant';

/** IPv6 pools and inclusive ranges are accepted, and a fixed IP may sit in any pool. */
export default variant((f) => {
  const x = clusterOf(f, 'prod-x');
  x.loadBalancer.pools.push({ name: 'v6', addresses: ['2001:db8:10::/120'] }, { name: 'range', addresses: ['198.51.100.200-198.51.100.210'] });
  x.dns.gatewayIP = '2001:db8:10::53';
});
