import { BrokenFleet, variant } from '../../variant';

export default {
  expect: 'fleet, git.basePath: "charts-out/" is not a relative path inside the repository',
  fleet: variant((f) => { f.git.basePath = 'charts-out/'; }),
} satisfies BrokenFleet;
