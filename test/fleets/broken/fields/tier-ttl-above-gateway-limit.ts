import { BrokenFleet, variant } from '../../variant';

export default {
  expect: 'fleet, tiers[1].ttl: 86400 is not a TTL in seconds between 1 and 3600 (the gateway\'s k8s_gateway refuses more than 3600',
  fleet: variant((f) => { f.tiers[1].ttl = 86400; }),
} satisfies BrokenFleet;
