import { CniVersion, PLUGIN_VERSIONS } from './versions';

/**
 * One plugin of a network configuration list. `main` plugins create the pod's interface and must
 * come first; `chained` plugins adjust what the previous ones did (prevResult).
 */
export interface CniPlugin {
  /** The plugin binary's name (`type` in the configuration). */
  readonly type: string;
  readonly role: 'main' | 'chained';
  /** Specification versions the plugin accepts. */
  readonly supportedVersions: readonly CniVersion[];
  /** Its object in the list's `plugins` (the list sets `cniVersion` and `name`). */
  toJson(): Record<string, unknown>;
}

function versionsOf(type: string): readonly CniVersion[] {
  return PLUGIN_VERSIONS[type];
}

export interface HostLocalIpamProps {
  /** CIDRs to hand out, one per address family (each becomes one range set). */
  readonly subnets: readonly string[];
  /**
   * Routes to put into the pod.
   * @default - a default route per family of `subnets`
   */
  readonly routes?: readonly string[];
  /**
   * Where host-local records allocated addresses.
   * @default - the plugin's default, /var/lib/cni/networks
   */
  readonly dataDir?: string;
}

/** The host-local IPAM plugin: addresses from fixed ranges, recorded on the node. */
export class HostLocalIpam {
  readonly type = 'host-local';
  readonly supportedVersions = versionsOf('host-local');
  constructor(readonly props: HostLocalIpamProps) {}

  toJson(): Record<string, unknown> {
    const routes = this.props.routes ?? [...new Set(this.props.subnets.map((s) => (s.includes(':') ? '::/0' : '0.0.0.0/0')))];
    return {
      type: this.type,
      ranges: this.props.subnets.map((subnet) => [{ subnet }]),
      routes: routes.map((dst) => ({ dst })),
      ...(this.props.dataDir ? { dataDir: this.props.dataDir } : {}),
    };
  }
}

export interface BridgePluginProps {
  /** Addresses for the pods. */
  readonly ipam: HostLocalIpam;
  /**
   * Name of the Linux bridge on the node.
   * @default 'cni0'
   */
  readonly bridge?: string;
  /**
   * Give the bridge the range's gateway address and route pods through it.
   * @default true
   */
  readonly isGateway?: boolean;
  /**
   * Masquerade traffic leaving the pod range.
   * @default true
   */
  readonly ipMasq?: boolean;
  /**
   * Let a pod reach itself through a Service (hairpin).
   * @default true
   */
  readonly hairpinMode?: boolean;
  /**
   * MTU of the bridge and veths.
   * @default - the kernel's default
   */
  readonly mtu?: number;
}

/** The bridge plugin: a veth per pod, attached to a Linux bridge on the node. */
export class BridgePlugin implements CniPlugin {
  readonly type = 'bridge';
  readonly role = 'main';
  readonly supportedVersions: readonly CniVersion[];
  constructor(readonly props: BridgePluginProps) {
    // The IPAM plugin runs with the same version, so the pair accepts what both accept.
    this.supportedVersions = versionsOf('bridge').filter((v) => props.ipam.supportedVersions.includes(v));
  }

  toJson(): Record<string, unknown> {
    return {
      type: this.type,
      bridge: this.props.bridge ?? 'cni0',
      isGateway: this.props.isGateway ?? true,
      ipMasq: this.props.ipMasq ?? true,
      hairpinMode: this.props.hairpinMode ?? true,
      ...(this.props.mtu !== undefined ? { mtu: this.props.mtu } : {}),
      ipam: this.props.ipam.toJson(),
    };
  }
}

/**
 * Mizar's CNI plugin: asks the node's Mizar daemon (gRPC localhost:50051) for the pod's interface.
 * It does its own addressing (no ipam), accepts spec 0.2.0-0.3.1, and implements ADD and DEL only.
 */
export class MizarCniPlugin implements CniPlugin {
  readonly type = 'mizarcni';
  readonly role = 'main';
  readonly supportedVersions = versionsOf('mizarcni');
  toJson(): Record<string, unknown> {
    return { type: this.type };
  }
}

export interface PortmapPluginProps {
  /**
   * Masquerade hairpin and localhost traffic to mapped ports.
   * @default true
   */
  readonly snat?: boolean;
}

/** hostPort mappings, received from the runtime through the `portMappings` capability. */
export class PortmapPlugin implements CniPlugin {
  readonly type = 'portmap';
  readonly role = 'chained';
  readonly supportedVersions = versionsOf('portmap');
  constructor(readonly props: PortmapPluginProps = {}) {}
  toJson(): Record<string, unknown> {
    return { type: this.type, capabilities: { portMappings: true }, snat: this.props.snat ?? true };
  }
}

/** Per-pod traffic shaping from the `kubernetes.io/{ingress,egress}-bandwidth` annotations (`bandwidth` capability). */
export class BandwidthPlugin implements CniPlugin {
  readonly type = 'bandwidth';
  readonly role = 'chained';
  readonly supportedVersions = versionsOf('bandwidth');
  toJson(): Record<string, unknown> {
    return { type: this.type, capabilities: { bandwidth: true } };
  }
}

export interface TuningPluginProps {
  /**
   * Sysctls to set inside the pod's network namespace, e.g. `net.core.somaxconn`.
   * @default {}
   */
  readonly sysctl?: Readonly<Record<string, string>>;
}

/** Sysctls (and interface settings) inside the pod's network namespace. */
export class TuningPlugin implements CniPlugin {
  readonly type = 'tuning';
  readonly role = 'chained';
  readonly supportedVersions = versionsOf('tuning');
  constructor(readonly props: TuningPluginProps = {}) {}
  toJson(): Record<string, unknown> {
    return { type: this.type, ...(this.props.sysctl && Object.keys(this.props.sysctl).length ? { sysctl: { ...this.props.sysctl } } : {}) };
  }
}

export interface FirewallPluginProps {
  /**
   * Which firewall the plugin programs.
   * @default 'iptables'
   */
  readonly backend?: 'iptables' | 'firewalld';
}

/** Accepts the pod's traffic in the node's FORWARD chain (needed where the default policy drops). */
export class FirewallPlugin implements CniPlugin {
  readonly type = 'firewall';
  readonly role = 'chained';
  readonly supportedVersions = versionsOf('firewall');
  constructor(readonly props: FirewallPluginProps = {}) {}
  toJson(): Record<string, unknown> {
    return { type: this.type, backend: this.props.backend ?? 'iptables' };
  }
}
