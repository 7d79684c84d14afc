import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: `cluster "prod-y", bootstrap.mode: "helm" is not one of 'argocd', 'direct'`,
  fleet: variant((f) => { clusterOf(f, 'prod-y').bootstrap = { mode: 'helm' as 'direct' }; }),
} satisfies BrokenFleet;
