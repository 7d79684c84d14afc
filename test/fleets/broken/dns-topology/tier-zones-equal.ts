import { BrokenFleet, variant } from '../../variant';

export default {
  expect: `fleet, tiers[1].zone: zone "prod.platform.example" is also the zone of tier "prod"`,
  fleet: variant((f) => {
    f.tiers[1].zone = 'prod.platform.example';
  }),
} satisfies BrokenFleet;
