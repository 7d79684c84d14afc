import type { Fleet } from '../fleet/fleet';
import { validateFleet } from '../fleet/validate';
import { renderFleetDoc } from './fleet-doc';
import { renderCluster, YamlCache } from './render';
import { writeOutput, WriteResult } from './write';

export interface SynthesizeOptions {
  /** Folder to write, e.g. `charts-out`. */
  readonly outdir: string;
  /**
   * Synthesize only these clusters; their folders (and FLEET.md) are replaced, others are kept.
   * @default - every cluster; the whole outdir is replaced and stale files are removed
   */
  readonly clusters?: readonly string[];
}

/**
 * Validates the fleet, renders every cluster in memory, then swaps the result into `outdir`.
 * Any error (a bad fleet, an exception in a construct) is thrown before `outdir` is touched.
 */
export function synthesizeFleet(fleet: Fleet, options: SynthesizeOptions): WriteResult {
  validateFleet(fleet);
  const selected = options.clusters ? options.clusters.map((name) => fleet.cluster(name)) : fleet.clusters;
  const yamlCache: YamlCache = new Map(); // shared by all clusters, dropped when synthesis ends
  const rendered = selected.map((c) => renderCluster(fleet, c, yamlCache));
  return writeOutput(options.outdir, rendered, renderFleetDoc(fleet), options.clusters);
}
