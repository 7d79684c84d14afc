import { BrokenFleet, variant } from '../../variant';

export default {
  expect: 'fleet, git.repoURL: "platform/fleetnet" is not a repository URL Argo CD can clone',
  fleet: variant((f) => { f.git.repoURL = 'platform/fleetnet'; }),
} satisfies BrokenFleet;
