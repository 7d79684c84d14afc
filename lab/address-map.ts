import { Cluster, ClusterProps, AddressPoolProps } from '../fleet/cluster';
import { Fleet, fleet as defineFleet } from '../fleet/fleet';
import { formatIp, parseCidr, parseIp, parsePoolAddresses } from '../constructs/common/ip';

/**
 * The lab's address plan. The fleet's addresses are data: the lab never sends them a packet. It runs a
 * copy of the fleet in which every address is mapped into 198.18.0.0/15 (RFC 2544, benchmarking), on a
 * bridge and network namespaces the lab itself creates:
 *
 *   198.18.0.0/16    the lab bridge (one L2 segment, like kind's Docker network)
 *     198.18.0.1       the host's address on it
 *     198.18.0.53+i    the stub resolver the fleet's upstreams map to (answers REFUSED)
 *     198.18.0.200+i   BGP peers (nothing answers; sessions stay in the lab)
 *     198.18.S.2       the node of the cluster in slot S (S = its position in the fleet, from 1),
 *                      registered under the cluster's name
 *     198.18.S.16-254  its MetalLB pools (and so its gateway/authority/PowerDNS addresses)
 *   198.19.16S.0/21   its Service range
 *   198.19.16S+8.0/21 its pod range
 */
export const LAB_RANGE = '198.18.0.0/15';
export const LAB_BRIDGE_CIDR = '198.18.0.0/16';
export const LAB_HOST_IP = '198.18.0.1';
export const LAB_STUB_RESOLVER_BASE = '198.18.0.53';
const MAX_SLOT = 15;

/** Where one cluster of the lab fleet lives. */
export interface LabSlot {
  readonly cluster: string;
  /** 1-based position of the cluster in the fleet. */
  readonly slot: number;
  readonly nodeIP: string;
  /** The name the lab's one node registers (its kubelet's --hostname-override): the cluster's name. */
  readonly nodeName: string;
  readonly apiServerPort: number;
  readonly serviceCidr: string;
  readonly podCidr: string;
}

/** One line of the mapping table the lab prints. */
export interface AddressMapping {
  readonly cluster: string;
  /** Field path in the cluster's inventory entry, e.g. `dns.gatewayIP`. */
  readonly field: string;
  readonly fleet: string;
  readonly lab: string;
}

export interface LabFleet {
  /** The fleet with every address in the lab's ranges (synthesized by the project's own synth code). */
  readonly fleet: Fleet;
  readonly slots: readonly LabSlot[];
  readonly mappings: readonly AddressMapping[];
  /** The stub resolver addresses the fleet's upstreams map to. */
  readonly stubResolvers: readonly string[];
}

/** Thrown when a cluster's addresses do not fit the lab's plan; names cluster, field and fix. */
export class LabAddressError extends Error {
  constructor(cluster: string, field: string, problem: string, fix: string) {
    super(`lab: cluster "${cluster}", ${field}: ${problem}. ${fix}`);
    this.name = 'LabAddressError';
  }
}

const v4 = (text: string): bigint => {
  const ip = parseIp(text);
  if (!ip || ip.family !== 4) throw new Error(`not an IPv4 address: ${text}`);
  return ip.value;
};
const ip4 = (value: bigint): string => formatIp(4, value);

export function slotOf(fleet: Fleet, clusterName: string): LabSlot {
  const index = fleet.clusters.findIndex((c) => c.name === clusterName);
  if (index < 0) throw new Error(`lab: no cluster "${clusterName}" in the fleet; known: ${fleet.clusters.map((c) => c.name).join(', ')}`);
  const slot = index + 1;
  if (slot > MAX_SLOT) {
    throw new LabAddressError(clusterName, 'position in fleet.clusters', `slot ${slot} is past the lab's ${MAX_SLOT}`, `Run a fleet of at most ${MAX_SLOT} clusters in the lab.`);
  }
  return {
    cluster: clusterName,
    slot,
    nodeIP: `198.18.${slot}.2`,
    nodeName: clusterName,
    apiServerPort: 6443,
    serviceCidr: `198.19.${16 * slot}.0/21`,
    podCidr: `198.19.${16 * slot + 8}.0/21`,
  };
}

/** Maps `address` from the CIDR `from` into the CIDR `to` at the same offset; error when it does not fit. */
function byOffset(address: string, from: string, to: string, where: { cluster: string; field: string }): string {
  const f = parseCidr(from);
  const t = parseCidr(to);
  if (!f || !t || f.family !== 4) throw new LabAddressError(where.cluster, where.field, `${from} is not an IPv4 CIDR`, 'The lab runs IPv4 clusters only.');
  const offset = v4(address) - f.first;
  if (offset < 0n || offset > t.last - t.first) {
    throw new LabAddressError(where.cluster, where.field, `${address} is ${offset} addresses into ${from}, past the lab's ${to}`,
      `Use an address within the first ${t.last - t.first + 1n} of ${from}.`);
  }
  return ip4(t.first + offset);
}

/** A CIDR inside `from` mapped into `to`, keeping the offset and at least the lab range's prefix. */
function cidrByOffset(cidr: string, from: string, to: string, where: { cluster: string; field: string }): string {
  const [addr, len] = cidr.split('/');
  const toLen = Number(to.split('/')[1]);
  return `${byOffset(addr, from, to, where)}/${Math.max(Number(len), toLen)}`;
}

/**
 * The lab runs one node per cluster: it stands in for the cluster's first CNI node, under the name its
 * kubelet registers, with that node's subnet mapped into the lab's pod range. The other nodes are not
 * in the copy, so nothing in the lab is given their ranges.
 */
function labCniNode(c: Cluster, slot: LabSlot, record: (field: string, fleet: string, lab: string) => string, where: (field: string) => { cluster: string; field: string }) {
  const first = c.podNetwork.cni?.nodes?.[0];
  if (!first) throw new LabAddressError(c.name, 'podNetwork.cni.nodes', 'lists no node', 'List the cluster\'s nodes, each with its own subnet (the lab runs the first).');
  const subnet = record(`podNetwork.cni.nodes[0].subnet (node ${first.name}; lab node ${slot.nodeName})`, first.subnet, cidrByOffset(first.subnet, c.podNetwork.podCidr, slot.podCidr, where('podNetwork.cni.nodes[0].subnet')));
  return { name: slot.nodeName, subnet };
}

interface PoolPlan {
  readonly pools: AddressPoolProps[];
  /** Maps an address inside one of the pools to its lab address. */
  readonly map: (ip: string, field: string) => string;
}

/**
 * The pools of one cluster moved into 198.18.S.16-254. Each entry keeps its size and alignment; the
 * low byte is kept too when every entry fits that way (203.0.113.64/27 -> 198.18.S.64/27), so the
 * table reads easily.
 */
function planPools(c: Cluster, slot: LabSlot, mappings: AddressMapping[]): PoolPlan {
  const base = v4(`198.18.${slot.slot}.0`);
  const entries = c.loadBalancer.pools.flatMap((p, pi) =>
    p.addresses.map((text, ai) => {
      const r = parsePoolAddresses(text);
      if (!r || r.family !== 4) throw new LabAddressError(c.name, `loadBalancer.pools[${pi}].addresses[${ai}]`, `${text} is not an IPv4 CIDR or range`, 'The lab runs IPv4 pools only.');
      return { pi, ai, text, first: r.first, size: r.last - r.first + 1n, cidr: text.includes('/') };
    }),
  );
  const fits = (starts: bigint[]) =>
    entries.every((e, i) => starts[i] >= 16n && starts[i] + e.size <= 255n) &&
    entries.every((e, i) => entries.every((o, j) => i === j || starts[i] + e.size <= starts[j] || starts[j] + o.size <= starts[i]));
  let starts = entries.map((e) => e.first & 0xffn);
  if (!fits(starts)) {
    let cursor = 16n;
    starts = entries.map((e) => {
      const align = e.cidr ? e.size : 1n;
      cursor = ((cursor + align - 1n) / align) * align;
      const s = cursor;
      cursor += e.size;
      return s;
    });
    if (!fits(starts)) {
      throw new LabAddressError(c.name, 'loadBalancer.pools', `${entries.reduce((n, e) => n + e.size, 0n)} pool addresses do not fit the lab's 239 per cluster`,
        'Give the cluster smaller pools for the lab (a fleet module passed with --fleet).');
    }
  }
  const mapped = entries.map((e, i) => ({ ...e, lab: base + starts[i] }));
  const pools = c.loadBalancer.pools.map((p, pi) => ({
    ...p,
    addresses: mapped.filter((e) => e.pi === pi).map((e) => {
      const lab = e.cidr ? `${ip4(e.lab)}/${e.text.split('/')[1]}` : `${ip4(e.lab)}-${ip4(e.lab + e.size - 1n)}`;
      mappings.push({ cluster: c.name, field: `loadBalancer.pools[${pi}].addresses[${e.ai}]`, fleet: e.text, lab });
      return lab;
    }),
  }));
  const map = (ip: string, field: string) => {
    const value = v4(ip);
    const e = mapped.find((m) => value >= m.first && value < m.first + m.size);
    if (!e) throw new LabAddressError(c.name, field, `${ip} is in none of the cluster's MetalLB pools`, 'Put it inside a pool, so MetalLB can hand it out.');
    const lab = ip4(e.lab + (value - e.first));
    mappings.push({ cluster: c.name, field, fleet: ip, lab });
    return lab;
  };
  return { pools, map };
}

export interface LabFleetOptions {
  /** The Git repository URL of the lab (its local bare repository, `file://...`). */
  readonly repoURL: string;
  /**
   * The clusters' bootstrap mode in the copy: `argocd` for a lab that runs its own Argo CD; `fleet`
   * keeps each cluster's own mode, for a node the bootstrap (`npm run bootstrap`) brings up instead.
   * @default 'argocd'
   */
  readonly bootstrapMode?: 'argocd' | 'fleet';
}

/** Derives the lab copy of a fleet: the same clusters and stacks, every address in the lab's ranges. */
export function labFleet(source: Fleet, options: LabFleetOptions): LabFleet {
  const mappings: AddressMapping[] = [];
  const slots: LabSlot[] = [];
  const upstreams = [...new Set(source.clusters.flatMap((c) => c.dns.upstreams))];
  const stubResolvers = upstreams.map((_, i) => ip4(v4(LAB_STUB_RESOLVER_BASE) + BigInt(i)));
  const stubFor = new Map(upstreams.map((u, i) => [u, stubResolvers[i]]));
  const bgpPeers = [...new Set(source.clusters.flatMap((c) => (c.loadBalancer.bgpPeers ?? []).map((p) => p.peerAddress)))];
  const peerFor = new Map(bgpPeers.map((p, i) => [p, `198.18.0.${200 + i}`]));

  const clusters = source.clusters.map((c) => {
    const slot = slotOf(source, c.name);
    slots.push(slot);
    const record = (field: string, fleet: string, lab: string) => {
      mappings.push({ cluster: c.name, field, fleet, lab });
      return lab;
    };
    const pools = planPools(c, slot, mappings);
    const where = (field: string) => ({ cluster: c.name, field });
    const pn = c.podNetwork;
    const podNetwork: ClusterProps['podNetwork'] = {
      podCidr: record('podNetwork.podCidr', pn.podCidr, slot.podCidr),
      serviceCidr: record('podNetwork.serviceCidr', pn.serviceCidr, slot.serviceCidr),
      // Mizar cannot run here (an XDP daemon and a Python operator the lab cannot build): the lab runs
      // the cluster with the generic CNI install over the same pod range instead, on its one node.
      ...(pn.mizar
        ? { cni: { nodes: [{ name: slot.nodeName, subnet: record('podNetwork.mizar (lab: cni install on the lab node)', pn.mizar.subnetCidr ?? pn.mizar.vpcCidr, slot.podCidr) }] } }
        : {}),
      ...(pn.cni ? { cni: { ...pn.cni, nodes: [labCniNode(c, slot, record, where)] } } : {}),
    };
    const d = c.dns;
    const dns: ClusterProps['dns'] = {
      ...d,
      serviceIP: record('dns.serviceIP', d.serviceIP, byOffset(d.serviceIP, pn.serviceCidr, slot.serviceCidr, where('dns.serviceIP'))),
      upstreams: d.upstreams.map((u, i) => record(`dns.upstreams[${i}]`, u, stubFor.get(u)!)),
      ...(d.gatewayIP ? { gatewayIP: pools.map(d.gatewayIP, 'dns.gatewayIP') } : {}),
      ...(d.authorityIP ? { authorityIP: pools.map(d.authorityIP, 'dns.authorityIP') } : {}),
      ...(d.powerdnsIP ? { powerdnsIP: pools.map(d.powerdnsIP, 'dns.powerdnsIP') } : {}),
    };
    const apiServer = record('apiServer', c.apiServer, `https://${slot.nodeIP}:${slot.apiServerPort}`);
    const bgp = c.loadBalancer.bgpPeers?.map((p, i) => ({ ...p, peerAddress: record(`loadBalancer.bgpPeers[${i}].peerAddress`, p.peerAddress, peerFor.get(p.peerAddress)!) }));
    return new Cluster({
      name: c.name,
      tier: c.tier,
      role: c.role,
      apiServer,
      loadBalancer: { ...c.loadBalancer, pools: pools.pools, ...(bgp ? { bgpPeers: bgp } : {}) },
      dns,
      podNetwork,
      stacks: c.stacks,
      // A lab with its own Argo CD runs every cluster as the `argocd` bootstrap mode does: that is what
      // it proves. Without it, the bootstrap brings the node up in the cluster's own mode.
      bootstrap: options.bootstrapMode === 'fleet' ? c.bootstrap : { mode: 'argocd' },
      // Settings without addresses, as the cluster has them.
      ...(c.monitoring ? { monitoring: c.monitoring } : {}),
      ...(c.networkPolicies !== undefined ? { networkPolicies: c.networkPolicies } : {}),
    });
  });
  mappings.push({ cluster: '*', field: 'git.repoURL', fleet: source.git.repoURL, lab: options.repoURL });
  const fleet = defineFleet({ ...source.props, git: { ...source.props.git, repoURL: options.repoURL }, clusters });
  return { fleet, slots, mappings, stubResolvers };
}

/** The mapping table as aligned text lines, for the lab's output. */
export function formatMappings(mappings: readonly AddressMapping[], clusters?: readonly string[]): string[] {
  const rows = mappings.filter((m) => !clusters || m.cluster === '*' || clusters.includes(m.cluster));
  const w = (k: keyof AddressMapping) => Math.max(...rows.map((r) => r[k].length), k.length);
  const line = (r: AddressMapping) => `${r.cluster.padEnd(w('cluster'))}  ${r.field.padEnd(w('field'))}  ${r.fleet.padEnd(w('fleet'))}  ->  ${r.lab}`;
  return [line({ cluster: 'cluster', field: 'field', fleet: 'fleet', lab: 'lab' }), ...rows.map(line)];
}
