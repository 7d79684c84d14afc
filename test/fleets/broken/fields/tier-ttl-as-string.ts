import { BrokenFleet, variant } from '../../variant';

export default {
  expect: `fleet, tiers[0].ttl: is "30", not a number`,
  fleet: variant((f) => {
    f.tiers[0].ttl = '30' as unknown as number;
  }),
} satisfies BrokenFleet;
