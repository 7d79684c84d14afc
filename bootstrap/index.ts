/**
 * The Pulumi program: one stack per cluster of the fleet (stack name = cluster name). See README.md.
 */
import * as pulumi from '@pulumi/pulumi';
import { bootstrap } from './program';

const outputs = bootstrap(pulumi.getStack(), new pulumi.Config());

// The stack outputs (`pulumi stack output`): those of the cluster's mode.
export = Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
