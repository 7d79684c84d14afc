import { expect } from 'vitest';
import { contains, parseCidr } from '../../constructs/common/ip';
import type { LabKube } from '../../lab/argocd';
import { dig, until } from './host';

/** The DNS checks of the bootstrap lab tests, on a cluster that is up: each returns its seconds. */

/** A busybox Pod (restricted) resolves `kubernetes.default.svc.<clusterDomain>` through cluster DNS; the Pod is deleted after. */
export async function expectClusterDnsAnswersAPod(kube: LabKube, clusterDomain: string, podName = 'dns-client'): Promise<number> {
  const kubernetesIP = (await kube.get('v1', 'services', 'kubernetes', 'default')).spec.clusterIP as string;
  await kube.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: 'default' },
    spec: {
      restartPolicy: 'Never',
      securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'client', image: 'docker.io/library/busybox:1.37.0',
        command: ['sh', '-c', `for i in $(seq 1 30); do nslookup kubernetes.default.svc.${clusterDomain} && exit 0; sleep 2; done; exit 1`],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }],
    } } as never, 'pods');
  const begin = Date.now();
  const phase = await until('the client Pod to finish', 120_000, async () => {
    const p = await kube.get('v1', 'pods', podName, 'default');
    return ['Succeeded', 'Failed'].includes(p?.status?.phase) ? (p.status.phase as string) : undefined;
  });
  const seconds = (Date.now() - begin) / 1000;
  const logs = (await kube.request('GET', `/api/v1/namespaces/default/pods/${podName}/log`)).body as string;
  expect(phase, logs).toBe('Succeeded');
  expect(logs).toContain(kubernetesIP);
  expect(await kube.delete('v1', 'pods', podName, 'default')).toBe(true);
  return seconds;
}

/**
 * A LoadBalancer Service annotated with `hostname` gets an address of `pool` from MetalLB, and the
 * gateway (on the lab bridge, through the speaker's ARP) answers the hostname with it; its own
 * `<name>.default.<zone>` is not answered then (k8s_gateway indexes the annotation instead). The
 * Service is deleted after (wait bounded).
 */
export async function expectGatewayAnswersAService(kube: LabKube, o: { gateway: string; hostname: string; zone: string; pool: string; name?: string }): Promise<number> {
  const name = o.name ?? 'web';
  await kube.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', annotations: { 'external-dns.alpha.kubernetes.io/hostname': o.hostname } },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as never, 'services');
  const begin = Date.now();
  const ip = await until('the LoadBalancer address', 60_000, async () => (await kube.get('v1', 'services', name, 'default'))?.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined);
  expect(contains(parseCidr(o.pool)!, ip)).toBe(true);
  expect(await until('the gateway answer (hostname annotation)', 60_000, async () => dig(o.gateway, o.hostname) || undefined)).toBe(ip);
  const seconds = (Date.now() - begin) / 1000;
  expect(dig(o.gateway, `${name}.default.${o.zone}`)).toBe('');
  expect(await kube.delete('v1', 'services', name, 'default')).toBe(true);
  await until('the Service gone', 60_000, async () => ((await kube.get('v1', 'services', name, 'default')) === undefined ? true : undefined));
  return seconds;
}
