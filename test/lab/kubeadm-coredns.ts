import type { KubeObject } from '../../lab/argocd';

/**
 * CoreDNS in the shape kubeadm's addon phase installs it (kubeadm's facts, our own objects): Deployment
 * `coredns` and Service `kube-dns` in kube-system selecting `k8s-app: kube-dns`, the Service's ports
 * `dns`/`dns-tcp` 53 and `metrics` 9153 with numeric target ports, the Pods declaring `dns` and
 * `dns-tcp` on 53, kubeadm's Corefile (only `.:53`), ServiceAccount `coredns` with ClusterRole
 * `system:coredns`. The image is the lab's own CoreDNS build: its `/coredns-netbind` carries the file
 * capability that kubeadm's image gives its binary, so the Pod binds 53 as a non-root user with
 * `NET_BIND_SERVICE` as kubeadm's does.
 */

export interface KubeadmCoreDnsOptions {
  readonly serviceIP: string;
  readonly image: string;
  readonly clusterDomain: string;
}

export function kubeadmCoreDns(options: KubeadmCoreDnsOptions): { object: KubeObject; plural: string }[] {
  const ns = 'kube-system';
  const labels = { 'k8s-app': 'kube-dns' };
  const corefile = [
    '.:53 {',
    '    errors',
    '    health {',
    '       lameduck 5s',
    '    }',
    '    ready',
    `    kubernetes ${options.clusterDomain} in-addr.arpa ip6.arpa {`,
    '       pods insecure',
    '       fallthrough in-addr.arpa ip6.arpa',
    '       ttl 30',
    '    }',
    '    prometheus :9153',
    '    forward . /etc/resolv.conf {',
    '       max_concurrent 1000',
    '    }',
    '    cache 30',
    '    loop',
    '    reload',
    '    loadbalance',
    '}',
    '',
  ].join('\n');
  return [
    { plural: 'serviceaccounts', object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: ns } } },
    {
      plural: 'clusterroles',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:coredns' },
        rules: [
          { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
        ],
      } as KubeObject,
    },
    {
      plural: 'clusterrolebindings',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:coredns' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
        subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: ns }],
      } as KubeObject,
    },
    { plural: 'configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: ns }, data: { Corefile: corefile } } as KubeObject },
    {
      plural: 'deployments',
      object: {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: ns, labels },
        spec: {
          replicas: 2,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              priorityClassName: 'system-cluster-critical',
              serviceAccountName: 'coredns',
              tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              dnsPolicy: 'Default',
              containers: [{
                name: 'coredns',
                image: options.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/coredns-netbind'],
                args: ['-conf', '/etc/coredns/Corefile'],
                resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
                ],
                livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 5 },
                readinessProbe: { httpGet: { path: '/ready', port: 8181 } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } },
              }],
              volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
            },
          },
        },
      } as KubeObject,
    },
    {
      plural: 'services',
      object: {
        apiVersion: 'v1', kind: 'Service',
        metadata: {
          name: 'kube-dns', namespace: ns,
          labels: { ...labels, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
          annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
        },
        spec: {
          selector: labels,
          clusterIP: options.serviceIP,
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
            { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
          ],
        },
      } as KubeObject,
    },
  ];
}
