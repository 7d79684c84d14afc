import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-mgmt", apiServer: 198.51.100.40 (API server) is inside MetalLB pool "default" (198.51.100.32/27) of this cluster`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-mgmt').apiServer = 'https://198.51.100.40:6443';
  }),
} satisfies BrokenFleet;
