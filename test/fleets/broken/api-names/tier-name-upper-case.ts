import { BrokenFleet, variant } from '../../variant';

export default {
  expect: `fleet, tiers[1].name: "Test" is not a DNS label`,
  fleet: variant((f) => {
    f.tiers[1].name = 'Test'; for (const c of f.clusters) if (c.tier === 'test') c.tier = 'Test';
  }),
} satisfies BrokenFleet;
