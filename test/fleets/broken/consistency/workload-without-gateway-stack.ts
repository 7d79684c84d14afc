import { ClusterDnsStack, CniStack, MetalLbStack } from '../../../../stacks/index';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", stacks: a workload cluster without ClusterGatewayStack would still be a fanout target`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').stacks = [CniStack, MetalLbStack, ClusterDnsStack];
  }),
} satisfies BrokenFleet;
