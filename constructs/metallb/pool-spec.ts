/** How MetalLB announces the addresses of a pool. */
export type AdvertisementMode = 'l2' | 'bgp';

/** A MetalLB address pool. Every pool is synthesized together with its advertisement. */
export interface AddressPoolProps {
  /** Pool name (a DNS label); becomes the IPAddressPool name. */
  readonly name: string;
  /** CIDRs (`10.10.10.0/26`) or inclusive ranges (`10.10.10.10-10.10.10.20`). */
  readonly addresses: readonly string[];
  /**
   * How the pool is announced.
   * @default 'l2'
   */
  readonly mode?: AdvertisementMode;
  /**
   * Whether MetalLB may hand out addresses of this pool to Services that ask for none.
   * @default true
   */
  readonly autoAssign?: boolean;
}
