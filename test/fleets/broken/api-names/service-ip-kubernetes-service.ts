import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.serviceIP: 10.96.0.1 is the first address of the Service range, which the \`kubernetes\` Service`,
  fleet: variant((f) => {
    clusterOf(f, 'test-x').dns.serviceIP = '10.96.0.1';
  }),
} satisfies BrokenFleet;
