import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.daemonSet: is "true", not true or false`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').dns.daemonSet = 'true' as unknown as boolean;
  }),
} satisfies BrokenFleet;
