import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", apiServer: https://192.0.2.11 is the API server of cluster "prod-x" too`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').apiServer = 'https://192.0.2.11:443'; clusterOf(f, 'prod-y').apiServer = 'https://192.0.2.11';
  }),
} satisfies BrokenFleet;
