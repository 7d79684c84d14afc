import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "test-x", dns.serviceIP: is missing`,
  fleet: variant((f) => {
    delete (clusterOf(f, 'test-x').dns as Partial<{ serviceIP: string }>).serviceIP;
  }),
} satisfies BrokenFleet;
