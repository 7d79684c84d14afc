import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-mgmt", dns.secondaryAuthorityIP: the management cluster already runs the tier authority',
  fleet: variant((f) => { clusterOf(f, 'test-mgmt').dns.secondaryAuthorityIP = '203.0.113.54'; }),
} satisfies BrokenFleet;
