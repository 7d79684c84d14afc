import { fixedServiceIps } from '../fleet/cluster';
import type { Construct } from 'constructs';
import { MetalLbAddressPool } from '../constructs/metallb/address-pool';
import { MetalLbBgpPeer } from '../constructs/metallb/bgp-peer';
import { poolsWithReservedFixedIps } from '../constructs/metallb/fixed-ip-pools';
import { MetalLb } from '../constructs/metallb/metallb';
import { METALLB_BGPPEER_CRD, METALLB_NAMESPACE, METALLB_WEBHOOK_CERT_SECRET, METALLB_WEBHOOK_CONFIGURATION } from '../constructs/metallb/names';
import { FleetStack, FleetStackProps, SyncSettings } from './fleet-stack';
import { metalLbIngressPolicy } from './network-policies';

/**
 * MetalLB on every cluster: the install, one BGPPeer per router of the cluster, and each pool of
 * `cluster.loadBalancer.pools` with the advertisement that announces it; fixed DNS addresses inside an
 * auto-assign pool are split off into a `<pool>-fixed` pool without auto-assignment.
 */
export class MetalLbStack extends FleetStack {
  static readonly stackName = 'metallb';
  static readonly syncWave = 20;
  override readonly sync: SyncSettings = {
    // Server-side, our manifests own only the fields they set: the CA bundles and the certificate the
    // controller writes stay its own, and a re-apply never removes them.
    serverSideApply: true,
    // The controller issues its own webhook CA and writes it into these two fields, and its CA and
    // serving certificate into the Secret we render empty (MetalLbWebhookCertSecret).
    ignoreDifferences: [
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: METALLB_WEBHOOK_CONFIGURATION, jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: METALLB_BGPPEER_CRD, jsonPointers: ['/spec/conversion/webhook/clientConfig/caBundle'] },
      { group: '', kind: 'Secret', name: METALLB_WEBHOOK_CERT_SECRET, namespace: METALLB_NAMESPACE, jsonPointers: ['/data'] },
    ],
  };
  readonly metallb: MetalLb;
  readonly pools: readonly MetalLbAddressPool[];
  readonly peers: readonly MetalLbBgpPeer[];

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, MetalLbStack.stackName, props);
    const lb = props.cluster.loadBalancer;
    this.metallb = new MetalLb(this, 'metallb');
    this.peers = (lb.bgpPeers ?? []).map((p) => new MetalLbBgpPeer(this, `peer-${p.name}`, { ...p, namespace: this.metallb.namespace }));
    // Fixed DNS addresses live in pools nobody is auto-assigned from (see poolsWithReservedFixedIps).
    this.pools = poolsWithReservedFixedIps(props.cluster, fixedServiceIps(props.cluster)).map((p) => new MetalLbAddressPool(this, `pool-${p.name}`, {
      name: p.name,
      addresses: p.addresses,
      autoAssign: p.autoAssign,
      mode: p.mode,
      namespace: this.metallb.namespace,
    }));
    metalLbIngressPolicy(this, props.cluster, this.metallb);
  }
}
