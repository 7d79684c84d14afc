import { fleet as defineFleet } from '../fleet/fleet';
import { prodMgmt } from './prod-mgmt';
import { prodX } from './prod-x';
import { prodY } from './prod-y';
import { testMgmt } from './test-mgmt';
import { testX } from './test-x';

/**
 * The example fleet, synthesized by `npm run synth`. Every address is from the documentation ranges
 * (RFC 5737) or the usual cluster-internal defaults: this is data, never a target.
 */
export const fleet = defineFleet({
  domain: 'platform.example',
  tiers: [{ name: 'prod' }, { name: 'test' }],
  git: { repoURL: 'https://git.example/platform/fleetnet.git', revision: 'main', basePath: 'charts-out' },
  clusters: [prodMgmt, prodX, prodY, testMgmt, testX],
});
