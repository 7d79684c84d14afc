import { clusterOf, ipv6TestTier, variant } from '../variant';

/** A whole tier on IPv6 (pools, fixed IPs, Services, pods, resolvers), one address written in a non-canonical form. */
export default variant((f) => {
  ipv6TestTier(f);
  clusterOf(f, 'test-x').dns.gatewayIP = '2001:db8:21:0::66';
});
