import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `dns.serviceIP: fd00:96:0:0:: is the network address`,
  fleet: variant((f) => {
    const t = clusterOf(f, 'test-x'); t.podNetwork.serviceCidr = 'fd00:96::/112'; t.podNetwork.podCidr = 'fd00:244::/64'; t.dns.serviceIP = 'fd00:96:0:0::'; t.dns.upstreams = ['2001:db8::53'];
  }),
} satisfies BrokenFleet;
