/**
 * The cluster DNS's lameduck outlasts the kernel's UDP conntrack timeout, and its pods' grace period
 * outlasts the lameduck (why: ClusterDnsProps.lameduckSeconds; measured by
 * test/lab/kubeadm-takeover.test.ts). The timeout compared against is this machine's own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CLUSTER_DNS_LAMEDUCK_SECONDS, ClusterDns, type ClusterDnsProps } from '../../constructs/coredns/cluster-dns';

const base: ClusterDnsProps = { serviceIP: '10.96.0.10', upstreams: ['192.0.2.53'] };

function synth(props: ClusterDnsProps) {
  const chart = new Chart(Testing.app(), 'c');
  new ClusterDns(chart, 'dns', props);
  const objects = Testing.synth(chart) as any[];
  const corefile: string = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'coredns').data.Corefile;
  const pod = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
  return { lameduck: Number(/lameduck (\d+)s/.exec(corefile)![1]), grace: pod.terminationGracePeriodSeconds as number };
}

describe('cluster DNS lameduck', () => {
  it('by default answers past the UDP conntrack timeout, and is killed only after that', () => {
    const { lameduck, grace } = synth(base);
    expect(lameduck).toBe(CLUSTER_DNS_LAMEDUCK_SECONDS);
    const sysctl = '/proc/sys/net/netfilter/nf_conntrack_udp_timeout';
    const udpTimeout = existsSync(sysctl) ? Number(readFileSync(sysctl, 'utf8')) : 30; // 30: the kernel's default
    expect(lameduck).toBeGreaterThan(udpTimeout);
    expect(grace).toBeGreaterThan(lameduck);
  });

  it('takes another lameduck and keeps the grace period above it', () => {
    expect(synth({ ...base, lameduckSeconds: 125 })).toEqual({ lameduck: 125, grace: 135 });
  });

  it('refuses a lameduck that is not whole seconds, naming the field and the fix', () => {
    expect(() => synth({ ...base, lameduckSeconds: 2.5 })).toThrow(/lameduckSeconds.*whole number of seconds.*35 or more/s);
  });
});
