import { cpSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleet } from '../../clusters/index';
import { Cluster } from '../../fleet/cluster';
import { Fleet } from '../../fleet/fleet';
import { FleetValidationError } from '../../fleet/errors';
import { FleetStack, FleetStackProps } from '../../stacks/fleet-stack';
import { defaultStacks } from '../../stacks/index';
import { renderCluster } from '../../synth/render';
import { synthesizeFleet } from '../../synth/synthesize';
import { listFiles } from '../../synth/write';
import type { Construct } from 'constructs';
import { variant } from '../fleets/variant';
import { snapshot, tempDirs } from '../files';

const root = resolve(__dirname, '../..');
const committed = join(root, 'charts-out');
const tempDir = tempDirs('synth');


describe('synthesis', () => {
  it('the committed charts-out equals a fresh synth (run `npm run synth` and commit if this fails)', () => {
    const out = join(tempDir(), 'charts-out');
    synthesizeFleet(fleet, { outdir: out });
    expect(listFiles(committed)).toEqual(listFiles(out));
    expect(snapshot(committed)).toEqual(snapshot(out));
  });

  it('is deterministic', () => {
    for (const c of fleet.clusters) expect(renderCluster(fleet, c)).toEqual(renderCluster(fleet, c));
  });

  it('writes one folder per cluster and stack, and FLEET.md', () => {
    const out = join(tempDir(), 'charts-out');
    synthesizeFleet(fleet, { outdir: out });
    for (const c of fleet.clusters) {
      expect(existsSync(join(out, c.name, 'argocd', 'application.fleetnet-root.yaml'))).toBe(true);
    }
    const doc = readFileSync(join(out, 'FLEET.md'), 'utf8');
    expect(doc).toContain('prod.platform.example. IN NS ns1.prod.platform.example.');
    expect(doc).toContain('ns1.prod.platform.example. IN A 198.51.100.53');
    expect(doc).toContain('```mermaid');
  });

  it('removes stale files and clusters that left the fleet', () => {
    const out = join(tempDir(), 'charts-out');
    synthesizeFleet(fleet, { outdir: out });
    writeFileSync(join(out, 'prod-x', 'argocd', 'application.gone.yaml'), 'stale');
    mkdirSync(join(out, 'old-cluster', 'argocd'), { recursive: true });
    writeFileSync(join(out, 'old-cluster', 'argocd', 'x.yaml'), 'stale');
    const result = synthesizeFleet(fleet, { outdir: out });
    expect(existsSync(join(out, 'prod-x', 'argocd', 'application.gone.yaml'))).toBe(false);
    expect(existsSync(join(out, 'old-cluster'))).toBe(false);
    expect(result.removedClusters).toEqual(['old-cluster']);
    expect(result.clusters.find((c) => c.cluster === 'prod-x')?.removed).toBe(1);
  });

  it('--cluster replaces one cluster and keeps the others', () => {
    const out = join(tempDir(), 'charts-out');
    synthesizeFleet(fleet, { outdir: out });
    writeFileSync(join(out, 'prod-y', 'argocd', 'keep.yaml'), 'other cluster, untouched');
    writeFileSync(join(out, 'prod-x', 'argocd', 'stale.yaml'), 'stale');
    synthesizeFleet(fleet, { outdir: out, clusters: ['prod-x'] });
    expect(readFileSync(join(out, 'prod-y', 'argocd', 'keep.yaml'), 'utf8')).toBe('other cluster, untouched');
    expect(existsSync(join(out, 'prod-x', 'argocd', 'stale.yaml'))).toBe(false);
  });

  it('a bad fleet leaves charts-out exactly as it was', () => {
    const out = join(tempDir(), 'charts-out');
    cpSync(committed, out, { recursive: true });
    writeFileSync(join(out, 'hand-made.txt'), 'still here');
    const before = snapshot(out);
    const broken = variant((f) => { f.clusters[1].dns.gatewayIP = '198.51.100.250'; });
    expect(() => synthesizeFleet(broken, { outdir: out })).toThrow(FleetValidationError);
    expect(snapshot(out)).toEqual(before);
  });

  it('an exception inside a stack leaves charts-out exactly as it was', () => {
    class ExplodingStack extends FleetStack {
      static readonly stackName = 'exploding';
      static readonly syncWave = 0;
      constructor(scope: Construct, props: FleetStackProps) {
        super(scope, ExplodingStack.stackName, props);
        throw new Error('boom');
      }
    }
    const out = join(tempDir(), 'charts-out');
    cpSync(committed, out, { recursive: true });
    const before = snapshot(out);
    const last = fleet.clusters[fleet.clusters.length - 1];
    const withBadStack = new Fleet({ ...fleet.props, clusters: [...fleet.clusters.slice(0, -1), new Cluster({ ...last, stacks: [...defaultStacks(last), ExplodingStack] })] });
    expect(() => synthesizeFleet(withBadStack, { outdir: out })).toThrow('boom');
    expect(snapshot(out)).toEqual(before);
  });
});
