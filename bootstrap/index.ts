/**
 * The Pulumi program, as `pulumi preview` / `pulumi up` run it from bootstrap/ (Node.js language host):
 * one stack per cluster of the fleet (stack name = cluster name). See README.md; `npm run bootstrap`
 * runs the same program through the Automation API (main.ts).
 */
import * as pulumi from '@pulumi/pulumi';
import { fleet } from '../clusters/index';
import { bootstrap } from './program';

const outputs = bootstrap(pulumi.getStack(), new pulumi.Config(), fleet);

// The stack outputs (`pulumi stack output`): those of the cluster's mode.
export = Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
