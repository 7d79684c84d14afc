import * as pulumi from '@pulumi/pulumi';
import { objectResource } from './kubernetes-object';
import type { SyncLevel } from './sync-plan';

export interface DirectSyncArgs {
  /** The cluster's folder (or some of its stacks) in sync order (syncPlan). */
  readonly plan: readonly SyncLevel[];
  /**
   * Resources the first step waits for.
   * @default []
   */
  readonly after?: readonly pulumi.Resource[];
  /**
   * Wait for workloads to be ready before the next step (see objectResource).
   * @default true
   */
  readonly awaitWorkloads?: boolean;
}

/**
 * Applies a cluster's synthesized objects without Argo CD, in the order Argo CD would: each step of a
 * stack waits for the stack's previous step, and the first step of a stack waits for every stack of
 * the lower Application waves. A resource waits for what it depends on to be created and ready (the
 * provider's await logic), as Argo CD waits for a wave to be healthy.
 */
export class DirectSync extends pulumi.ComponentResource {
  /** Every object resource, by `<stack>/<file>`. */
  readonly objects: ReadonlyMap<string, pulumi.CustomResource>;
  /** The last step of every stack of the last wave: once they are done, everything is. */
  readonly lastSteps: readonly pulumi.Resource[];

  constructor(name: string, args: DirectSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super('fleetnet:bootstrap:DirectSync', name, {}, opts);
    const objects = new Map<string, pulumi.CustomResource>();
    let lowerWaves: readonly pulumi.Resource[] = args.after ?? [];
    for (const level of args.plan) {
      const lastSteps: pulumi.Resource[] = [];
      for (const stack of level.stacks) {
        const folder = new StackFolder(stack.stack, { parent: this });
        let previous = lowerWaves;
        for (const step of stack.steps) {
          const created = step.objects.map((f) => {
            const resource = objectResource(f.object, { parent: folder, dependsOn: [...previous] }, { awaitWorkloads: args.awaitWorkloads });
            objects.set(f.path, resource);
            return resource;
          });
          previous = created;
        }
        lastSteps.push(...previous);
        folder.done();
      }
      // The last step of each stack stands for the whole stack: every earlier step comes before it.
      lowerWaves = lastSteps;
    }
    this.objects = objects;
    this.lastSteps = lowerWaves;
    this.registerOutputs({});
  }
}

/** Groups one stack folder's objects under its name in `pulumi preview`. */
class StackFolder extends pulumi.ComponentResource {
  constructor(stack: string, opts: pulumi.ComponentResourceOptions) {
    super('fleetnet:bootstrap:StackFolder', stack, {}, opts);
  }

  done(): void {
    this.registerOutputs({});
  }
}
