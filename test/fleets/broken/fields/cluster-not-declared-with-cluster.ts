import { Fleet } from '../../../../fleet/fleet';
import { fleet as example } from '../../../../clusters/index';
import type { Cluster } from '../../../../fleet/cluster';
import type { BrokenFleet } from '../../variant';

export default {
  expect: 'fleet, clusters[1]: is an object, not a cluster made by cluster({ ... })',
  // Plain props where a Cluster belongs (cluster({ ... }) forgotten): tsx would not notice.
  fleet: new Fleet({ ...example.props, clusters: example.clusters.map((c, i) => (i === 1 ? ({ ...c.props } as unknown as Cluster) : c)) }),
} satisfies BrokenFleet;
