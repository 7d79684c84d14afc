import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-x", dns.gatewayIP: " 198.51.100.66" has leading or trailing whitespace`,
  fleet: variant((f) => {
    clusterOf(f, 'prod-x').dns.gatewayIP = ' 198.51.100.66';
  }),
} satisfies BrokenFleet;
