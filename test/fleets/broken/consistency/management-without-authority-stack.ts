import { ClusterDnsStack, MetalLbStack } from '../../../../stacks/index';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-mgmt", stacks: the management cluster without TierAuthorityStack`,
  fleet: variant((f) => {
    clusterOf(f, 'test-mgmt').stacks = [MetalLbStack, ClusterDnsStack];
  }),
} satisfies BrokenFleet;
