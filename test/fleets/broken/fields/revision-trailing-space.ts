import { BrokenFleet, variant } from '../../variant';

export default {
  expect: `fleet, git.revision: "main " has leading or trailing whitespace`,
  fleet: variant((f) => {
    f.git.revision = 'main ';
  }),
} satisfies BrokenFleet;
