import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", apiServer: 10.96.0.1 (the API server) is inside the cluster's own podNetwork.serviceCidr (10.96.0.0/16)`,
  fleet: variant((f) => { clusterOf(f, 'prod-x').apiServer = 'https://10.96.0.1:443'; }),
} satisfies BrokenFleet;
