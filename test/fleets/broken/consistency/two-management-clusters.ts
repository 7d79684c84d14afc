import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "prod-x", role: tier "prod" already has management cluster "prod-mgmt"',
  fleet: variant((f) => {
    const x = clusterOf(f, 'prod-x');
    x.role = 'management';
    x.dns.authorityIP = x.dns.gatewayIP;
    delete x.dns.gatewayIP;
  }),
} satisfies BrokenFleet;
