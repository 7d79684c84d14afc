import { ClusterDnsStack, ClusterGatewayStack, MetalLbStack } from '../../../../stacks/index';
import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", stacks: podNetwork.mizar is set, but MizarStack is not in stacks`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').stacks = [MetalLbStack, ClusterDnsStack, ClusterGatewayStack];
  }),
} satisfies BrokenFleet;
