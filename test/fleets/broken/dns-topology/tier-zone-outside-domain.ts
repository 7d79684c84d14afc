import { BrokenFleet, variant } from '../../variant';

export default {
  expect: 'fleet, tiers[0].zone: zone "prod.other.example" is outside the platform domain "platform.example"',
  fleet: variant((f) => { f.tiers[0].zone = 'prod.other.example'; }),
} satisfies BrokenFleet;
