import type { Construct } from 'constructs';
import type { FleetStack, FleetStackProps } from '../stacks/fleet-stack';

/**
 * A stack type: a cdk8s Chart class that becomes one folder `charts-out/<cluster>/<stackName>/` and
 * one Argo CD Application. Clusters list these classes (not strings) in `stacks`.
 */
export interface StackClass {
  /** Folder and Application name, a DNS label. */
  readonly stackName: string;
  /** Argo CD sync wave of the stack's Application: lower waves are synced and healthy first. */
  readonly syncWave: number;
  new (scope: Construct, props: FleetStackProps): FleetStack;
}
