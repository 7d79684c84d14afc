import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `is already apiServer of cluster "prod-x" (API server)`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').apiServer = 'https://203.0.113.66:6443';
  }),
} satisfies BrokenFleet;
