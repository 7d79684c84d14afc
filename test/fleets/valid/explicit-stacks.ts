import { ClusterDnsStack, ClusterGatewayStack, CniStack, MetalLbStack, MizarStack, PowerDnsStack, TierAuthorityStack } from '../../../stacks/index';
import { clusterOf, variant } from '../variant';

/** Clusters that list their stacks themselves, in another order than the defaults. */
export default variant((f) => {
  clusterOf(f, 'prod-mgmt').stacks = [TierAuthorityStack, ClusterDnsStack, MetalLbStack];
  clusterOf(f, 'prod-x').stacks = [MizarStack, MetalLbStack, ClusterGatewayStack, ClusterDnsStack];
  clusterOf(f, 'prod-y').stacks = [PowerDnsStack, MetalLbStack, ClusterDnsStack, ClusterGatewayStack];
  clusterOf(f, 'test-x').stacks = [CniStack, MetalLbStack, ClusterDnsStack, ClusterGatewayStack];
});
