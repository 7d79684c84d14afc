import { BrokenFleet, variant } from '../../variant';

export default {
  expect: 'fleet, domain: "platform..example" is not a valid lower-case DNS name',
  fleet: variant((f) => { f.domain = 'platform..example'; }),
} satisfies BrokenFleet;
