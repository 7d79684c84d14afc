import { clusterOf, variant } from '../variant';

/**
 * Settings at the edges of what is legal: another cluster domain, a 63-character cluster name, a
 * one-second TTL, a Service range of 256 addresses with the DNS on its last usable one, a fixed IP on
 * its pool's broadcast-looking last address, and the maximum of 15 upstreams.
 */
export default variant((f) => {
  f.tiers[1].ttl = 1;
  const t = clusterOf(f, 'test-x');
  t.name = `test-${'x'.repeat(58)}`;
  t.dns.clusterDomain = 'cluster.lan';
  t.podNetwork.serviceCidr = '10.100.0.0/24';
  t.dns.serviceIP = '10.100.0.254';
  t.dns.gatewayIP = '203.0.113.95';
  t.dns.upstreams = Array.from({ length: 15 }, (_, i) => `192.0.2.${100 + i}`);
  const m = clusterOf(f, 'test-mgmt');
  m.dns.daemonSet = true;
  m.podNetwork.serviceCidr = '10.96.0.0/12';
});
