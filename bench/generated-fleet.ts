import { Cluster, cluster } from '../fleet/cluster';
import { Fleet, fleet } from '../fleet/fleet';

/** The n-th /28 of 100.64.0.0/10 as text: every generated cluster gets its own. */
function block(n: number): { cidr: string; host: (i: number) => string; apiServer: string } {
  const base = (100 << 24) + (64 << 16) + n * 16;
  const ip = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  // API servers live outside the MetalLB pools (172.16.0.0/12), or MetalLB could hand theirs out.
  return { cidr: `${ip(base)}/28`, host: (i) => ip(base + i), apiServer: ip((172 << 24) + (16 << 16) + n + 1) };
}

/**
 * A valid fleet of `size` clusters: tiers of one management cluster and up to 99 workload
 * clusters (fanout's limit is 100 upstreams), each with its own pool and fixed IPs.
 */
export function generatedFleet(size: number): Fleet {
  const clusters: Cluster[] = [];
  const tiers: { name: string }[] = [];
  for (let i = 0; i < size; i++) {
    const tierIndex = Math.floor(i / 100);
    const tier = `t${tierIndex}`;
    if (i % 100 === 0) tiers.push({ name: tier });
    const management = i % 100 === 0;
    const b = block(i);
    clusters.push(
      cluster({
        name: `c${i}`,
        tier,
        role: management ? 'management' : 'workload',
        apiServer: `https://${b.apiServer}:6443`,
        loadBalancer: { pools: [{ name: 'default', addresses: [b.cidr] }] },
        dns: { ...(management ? { authorityIP: b.host(2) } : { gatewayIP: b.host(2) }), serviceIP: '10.96.0.10', upstreams: ['192.0.2.53'] },
        podNetwork: { podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
      }),
    );
  }
  // A tier needs a workload cluster for its authority to fan out to; the last tier may have only one cluster.
  const last = clusters[clusters.length - 1];
  if (size > 1 && last.role === 'management') clusters.pop();
  return fleet({ domain: 'platform.example', tiers: tiers.filter((t) => clusters.some((c) => c.tier === t.name)), git: { repoURL: 'https://git.example/fleetnet.git' }, clusters });
}
