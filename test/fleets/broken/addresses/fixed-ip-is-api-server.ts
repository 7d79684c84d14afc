import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.gatewayIP: 198.51.100.66 is the cluster's own API server address`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').apiServer = 'https://198.51.100.66:6443';
  }),
} satisfies BrokenFleet;
