import { variant } from '../variant';

/** A tier may name its own zone below the domain and its own TTL. */
export default variant((f) => {
  f.tiers[0] = { name: 'prod', zone: 'apps.prod.platform.example', ttl: 10 };
});
