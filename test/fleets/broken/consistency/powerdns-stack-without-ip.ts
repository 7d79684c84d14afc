import { ClusterDnsStack, ClusterGatewayStack, CniStack, MetalLbStack, PowerDnsStack } from '../../../../stacks/index';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", stacks[4]: PowerDnsStack needs dns.powerdnsIP`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').stacks = [CniStack, MetalLbStack, ClusterDnsStack, ClusterGatewayStack, PowerDnsStack];
  }),
} satisfies BrokenFleet;
