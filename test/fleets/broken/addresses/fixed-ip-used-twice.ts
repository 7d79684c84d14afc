import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-y", dns.powerdnsIP: 198.51.100.98 is already used by dns.gatewayIP',
  fleet: variant((f) => { clusterOf(f, 'prod-y').dns.powerdnsIP = '198.51.100.98'; }),
} satisfies BrokenFleet;
