import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'fleet, tiers[1]: tier "test" has 101 workload clusters, but the fanout plugin accepts at most 100 upstreams',
  fleet: variant((f) => {
    const template = clusterOf(f, 'test-x');
    f.clusters = f.clusters.filter((c) => c !== template);
    for (let i = 0; i < 101; i++) {
      const copy = JSON.parse(JSON.stringify(template)) as typeof template;
      copy.name = `test-w${i}`;
      copy.loadBalancer.network = `site-${i}`; // isolated networks: the same pool is fine
      f.clusters.push(copy);
    }
  }),
} satisfies BrokenFleet;
