import { ClusterDnsStack, ClusterGatewayStack, CniStack, MetalLbStack } from '../../../../stacks/index';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", stacks[4]: stack name "Extra_Stack" is not a DNS label`,
  fleet: variant((f) => {
    class ExtraStack extends ClusterDnsStack { static override readonly stackName = 'Extra_Stack' as 'cluster-dns'; }
    clusterOf(f, 'test-x').stacks = [CniStack, MetalLbStack, ClusterDnsStack, ClusterGatewayStack, ExtraStack];
  }),
} satisfies BrokenFleet;
