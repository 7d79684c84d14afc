import { clusterOf, variant } from '../variant';

/**
 * A tier whose workload clusters sit on two separate networks (routed to each other, but each with its
 * own MetalLB address plan), and a third workload cluster added to it.
 */
export default variant((f) => {
  const y = clusterOf(f, 'prod-y');
  y.loadBalancer.network = 'site-b';
  const z = JSON.parse(JSON.stringify(clusterOf(f, 'test-x'))) as typeof y;
  z.name = 'prod-z';
  z.tier = 'prod';
  z.apiServer = 'https://192.0.2.13:6443';
  z.loadBalancer = { network: 'site-b', pools: [{ name: 'default', addresses: ['198.51.100.128/27'] }] };
  z.dns = { gatewayIP: '198.51.100.130', serviceIP: '10.96.0.10', upstreams: ['192.0.2.53'] };
  f.clusters.push(z);
});
