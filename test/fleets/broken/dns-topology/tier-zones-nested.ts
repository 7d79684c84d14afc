import { BrokenFleet, variant } from '../../variant';

export default {
  expect: `fleet, tiers[1].zone: zone "test.prod.platform.example" nests with zone "prod.platform.example"`,
  fleet: variant((f) => {
    f.tiers[1].zone = 'test.prod.platform.example';
  }),
} satisfies BrokenFleet;
