import type { Subnet } from './subnet';

/** The pod annotations that put a pod into a Mizar VPC and subnet (constants.py: mizar_ep_*_annotation). */
export const MIZAR_VPC_ANNOTATION = 'mizar.com/vpc';
export const MIZAR_SUBNET_ANNOTATION = 'mizar.com/subnet';

/** Annotations that place a pod (or Service) into `subnet` and its VPC. */
export function mizarPlacementAnnotations(subnet: Subnet): Record<string, string> {
  return { [MIZAR_VPC_ANNOTATION]: subnet.vpc.name, [MIZAR_SUBNET_ANNOTATION]: subnet.name };
}

/** A pod template, as in a Deployment's or DaemonSet's `spec.template`. */
export interface PodTemplateLike {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>>; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/**
 * A copy of `template` whose pods land in `subnet`: Mizar reads the annotations when it creates a
 * pod's endpoint, and without them uses vpc0/net0. Other annotations are kept.
 */
export function placeInSubnet<T extends PodTemplateLike>(template: T, subnet: Subnet): T {
  return {
    ...template,
    metadata: { ...template.metadata, annotations: { ...template.metadata?.annotations, ...mizarPlacementAnnotations(subnet) } },
  };
}
