import { Construct } from 'constructs';
import type { AdvertisementMode } from './pool-spec';
import { parseIp, parsePoolAddresses } from '../common/ip';
import { throwIfIssues, type PropIssue } from '../common/prop-issues';
import { componentLabels, syncWave } from '../common/workload';
import { BgpAdvertisement, IpAddressPool, L2Advertisement } from '../imports/metallb.io';
import type { MetalLbBgpPeer } from './bgp-peer';
import { METALLB_NAMESPACE, METALLB_SYNC_WAVES } from './names';

export interface MetalLbAddressPoolProps {
  /** Name of the IPAddressPool and of its advertisement (a DNS label). */
  readonly name: string;
  /** CIDRs (`10.10.10.0/26`) or inclusive ranges (`10.10.10.10-10.10.10.20`). */
  readonly addresses: readonly string[];
  /**
   * Whether Services that ask for no address or pool may get one from this pool. A pool without it
   * only serves fixed addresses (`metallb.io/loadBalancerIPs`) and `metallb.io/address-pool` requests.
   * @default true
   */
  readonly autoAssign?: boolean;
  /**
   * Skip addresses ending in .0 and .255 (for clients that mistake them for network/broadcast).
   * @default false
   */
  readonly avoidBuggyIPs?: boolean;
  /**
   * How the pool's addresses are announced: ARP/NDP from a node (`l2`) or BGP to routers (`bgp`).
   * @default 'l2'
   */
  readonly mode?: AdvertisementMode;
  /**
   * L2 only: host interfaces to announce from.
   * @default - every interface the speakers do not exclude
   */
  readonly interfaces?: readonly string[];
  /**
   * BGP only: the routers to announce to.
   * @default - every BGPPeer of the namespace
   */
  readonly peers?: readonly MetalLbBgpPeer[];
  /**
   * Namespace MetalLB runs in.
   * @default METALLB_NAMESPACE
   */
  readonly namespace?: string;
  /**
   * Argo CD sync wave (after the webhook that validates pools).
   * @default METALLB_SYNC_WAVES.configuration
   */
  readonly syncWave?: number;
}

/**
 * Issues of a pool's `addresses`: none listed, or an entry that is not a CIDR or a range low-high of one
 * family. The fleet layer reports the same for `loadBalancer.pools[i]`.
 */
export function poolAddressIssues(addresses: readonly string[]): PropIssue[] {
  if (addresses.length === 0) return [{ field: 'addresses', problem: 'the pool has no addresses', fix: 'list at least one CIDR or range' }];
  return addresses.flatMap((text, j) => {
    if (parsePoolAddresses(text)) return [];
    const [a, b, ...rest] = text.split('-');
    const pa = parseIp(a ?? ''), pb = parseIp(b ?? '');
    const problem = rest.length === 0 && pa && pb
      ? pa.family !== pb.family ? `"${text}" mixes an IPv${pa.family} and an IPv${pb.family} address` : `"${text}" is reversed: its first address is above its last`
      : `"${text}" is not a CIDR or an address range`;
    return [{ field: `addresses[${j}]`, problem, fix: 'write a CIDR without host bits (10.10.10.0/26) or a range low-high of one family (10.10.10.10-10.10.10.20)' }];
  });
}

/**
 * A MetalLB address pool together with the advertisement that announces it: an IPAddressPool and an
 * L2Advertisement or BGPAdvertisement of the same name that selects exactly this pool. A pool without
 * an advertisement hands out addresses nobody answers for, so this is the only way to make one.
 */
export class MetalLbAddressPool extends Construct {
  readonly name: string;
  readonly mode: AdvertisementMode;
  readonly pool: IpAddressPool;
  readonly advertisement: L2Advertisement | BgpAdvertisement;

  constructor(scope: Construct, id: string, props: MetalLbAddressPoolProps) {
    super(scope, id);
    this.name = props.name;
    this.mode = props.mode ?? 'l2';
    const where = `MetalLB pool "${props.name}"`;
    throwIfIssues(where, poolAddressIssues(props.addresses));
    if (this.mode === 'bgp' && props.interfaces) throw new Error(`${where}: interfaces apply to mode 'l2' only; remove them or use mode 'l2'`);
    if (this.mode === 'l2' && props.peers) throw new Error(`${where}: peers apply to mode 'bgp' only; remove them or use mode 'bgp'`);

    const metadata = (component: string) => ({
      name: props.name,
      namespace: props.namespace ?? METALLB_NAMESPACE,
      labels: { ...componentLabels('metallb', component), 'fleetnet.io/address-pool': props.name },
      annotations: syncWave(props.syncWave ?? METALLB_SYNC_WAVES.configuration),
    });
    this.pool = new IpAddressPool(this, 'Pool', {
      metadata: metadata('address-pool'),
      spec: { addresses: [...props.addresses], autoAssign: props.autoAssign ?? true, avoidBuggyIPs: props.avoidBuggyIPs ?? false },
    });
    const selected = { ipAddressPools: [props.name] };
    this.advertisement = this.mode === 'l2'
      ? new L2Advertisement(this, 'Advertisement', {
          metadata: metadata('l2-advertisement'),
          spec: { ...selected, ...(props.interfaces ? { interfaces: [...props.interfaces] } : {}) },
        })
      : new BgpAdvertisement(this, 'Advertisement', {
          metadata: metadata('bgp-advertisement'),
          spec: { ...selected, ...(props.peers ? { peers: props.peers.map((p) => p.name) } : {}) },
        });
  }
}
