/**
 * The pod network the lab provides for a cluster whose stacks bring none (no `cni` stack, no Mizar):
 * what the platform under such a cluster would provide, a bridge with host-local addresses on the
 * cluster's (mapped) podCidr. Clusters with their own CNI install never get this file: their own
 * DaemonSet writes theirs.
 */
export const PLATFORM_CNI_FILE = '/etc/cni/net.d/50-fleetnet-lab-platform.conflist';

export function platformConflist(podCidr: string): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'fleetnet-lab-platform',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: podCidr }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}
