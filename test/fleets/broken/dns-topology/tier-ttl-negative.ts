import { BrokenFleet, variant } from '../../variant';

export default {
  expect: 'fleet, tiers[1].ttl: -5 is not a TTL in seconds. Fix: use an integer between 0 and 2147483647',
  fleet: variant((f) => { f.tiers[1].ttl = -5; }),
} satisfies BrokenFleet;
