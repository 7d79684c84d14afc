import { BrokenFleet, clusterOf, variant } from '../../variant';

export default {
  expect: 'cluster "test-x", apiServer: "http://192.0.2.21:6443" is not an https:// URL',
  fleet: variant((f) => { clusterOf(f, 'test-x').apiServer = 'http://192.0.2.21:6443'; }),
} satisfies BrokenFleet;
