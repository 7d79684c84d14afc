import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-mgmt", dns.upstreams[0]: "dns.corp.example" is not an IP address',
  fleet: variant((f) => { clusterOf(f, 'test-mgmt').dns.upstreams = ['dns.corp.example']; }),
} satisfies BrokenFleet;
