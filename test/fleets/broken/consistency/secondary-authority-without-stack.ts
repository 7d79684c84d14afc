import { ClusterDnsStack, ClusterGatewayStack, CniStack, MetalLbStack } from '../../../../stacks/index';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", stacks: dns.secondaryAuthorityIP is set, but TierAuthorityStack is not in stacks',
  fleet: variant((f) => {
    const t = clusterOf(f, 'test-x');
    t.dns.secondaryAuthorityIP = '203.0.113.67';
    t.stacks = [CniStack, MetalLbStack, ClusterDnsStack, ClusterGatewayStack];
  }),
} satisfies BrokenFleet;
