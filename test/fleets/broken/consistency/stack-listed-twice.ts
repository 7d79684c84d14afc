import { ClusterDnsStack, ClusterGatewayStack, CniStack, MetalLbStack } from '../../../../stacks/index';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", stacks[4]: stack "cluster-dns" is listed twice`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').stacks = [CniStack, MetalLbStack, ClusterDnsStack, ClusterGatewayStack, ClusterDnsStack];
  }),
} satisfies BrokenFleet;
