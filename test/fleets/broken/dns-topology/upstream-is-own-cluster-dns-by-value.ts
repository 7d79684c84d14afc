import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.upstreams[0]: fd00:96:0::a is this cluster's own DNS`,
  fleet: variant((f) => {
    const t = clusterOf(f, 'test-x'); t.podNetwork.serviceCidr = 'fd00:96::/112'; t.podNetwork.podCidr = 'fd00:244::/64'; t.dns.serviceIP = 'fd00:96::a'; t.dns.upstreams = ['fd00:96:0::a'];
  }),
} satisfies BrokenFleet;
