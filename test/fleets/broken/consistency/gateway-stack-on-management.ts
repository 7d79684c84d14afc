import { ClusterDnsStack, ClusterGatewayStack, MetalLbStack, TierAuthorityStack } from '../../../../stacks/index';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-mgmt", stacks[2]: ClusterGatewayStack runs on workload clusters only`,
  fleet: variant((f) => {
    clusterOf(f, 'test-mgmt').stacks = [MetalLbStack, ClusterDnsStack, ClusterGatewayStack, TierAuthorityStack];
  }),
} satisfies BrokenFleet;
