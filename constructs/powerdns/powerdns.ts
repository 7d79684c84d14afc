import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { parseIp } from '../common/ip';
import { throwIfIssues, type PropIssue } from '../common/prop-issues';
import { images, ImageVersion, imageRef } from '../catalog';
import { dnsServerDisruptionBudget, dnsServerPodSpec, dnsServicePorts } from '../common/dns-server';
import { componentLabels, resources, ResourceSpec, restrictedContainerSecurityContext, tcpProbe } from '../common/workload';
import { ExternalDnsAccess } from '../external-dns/rbac';
import type { ExternalDnsPolicy } from '../external-dns/args';
import { DnsEndpointCrd } from '../external-dns/dns-endpoint-crd';
import { externalDnsSidecar } from '../external-dns/sidecar';
import type { ExternalDnsSource } from '../external-dns/rbac';
import { serviceAccountTokenVolume } from '../external-dns/token-volume';
import { fixedLoadBalancerIp } from '../metallb/load-balancer-ip';
import { dnsNamespace, DnsNamespaceProps, FixedAddressPoolProps, ipIssues, poolOwner, replicaIssues } from '../coredns/dns-service-props';
import type { ZoneSource } from '../zones/zone';
import { zoneText } from '../zones/source';
import { pdnsConf } from './config';
import { PDNS_API_PORT, PDNS_DNS_PORT, PDNS_LAYOUT, PDNS_UID } from './names';
import { LOAD_ZONES_SCRIPT } from './load-zones';
import { READY_SCRIPT } from './ready';

export interface PowerDnsProps extends DnsNamespaceProps, FixedAddressPoolProps {
  /** The fixed MetalLB address of its Service, and the address of the default name server `ns1.<zone>`. */
  readonly ip: string;
  /** The zones to serve. */
  readonly zones: readonly ZoneSource[];
  /**
   * external-dns's TXT registry owner id: records it created carry it, and it touches no others.
   * Give every cluster publishing into the same zones its own.
   */
  readonly ownerId: string;
  /**
   * Namespace to run in.
   * @default 'powerdns'
   */
  readonly namespace?: string;
  /**
   * Pods; each has its own database and its own external-dns, so replicas share nothing.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Secret with the PowerDNS API key, created out of band (see constructs/powerdns/README.md).
   * @default 'powerdns-api-key'
   */
  readonly apiKeySecretName?: string;
  /**
   * Key of the API key inside the Secret.
   * @default 'api-key'
   */
  readonly apiKeySecretKey?: string;
  /**
   * What external-dns publishes names from. With `crd`, the DNSEndpoint CRD is synthesized too.
   * @default ['service', 'ingress']
   */
  readonly externalDnsSources?: readonly ExternalDnsSource[];
  /**
   * external-dns policy. `sync` makes every replica's records a function of the zones in Git and the
   * cluster's objects alone, so replicas agree and a deleted Service's name goes away.
   * @default 'sync'
   */
  readonly externalDnsPolicy?: ExternalDnsPolicy;
  /**
   * Seconds between external-dns's full reconciliations (events trigger the others). Each reads only
   * its informer cache and the local API, so it is cheap; it bounds how long a PowerDNS that lost its
   * records (restart) waits for them.
   * @default 30
   */
  readonly externalDnsIntervalSeconds?: number;
  /**
   * CIDRs, besides loopback, allowed to transfer the zones (AXFR).
   * @default []
   */
  readonly allowAxfrFrom?: readonly string[];
  /**
   * The PowerDNS image.
   * @default images.powerdns
   */
  readonly image?: ImageVersion;
  /**
   * Requests and limits of PowerDNS.
   * @default 50m CPU, 64Mi memory, 256Mi memory limit
   */
  readonly resources?: ResourceSpec;
}

/** What is wrong with PowerDns props; the fleet layer reports these for a cluster with PowerDNS. */
export function validatePowerDnsProps(props: PowerDnsProps): PropIssue[] {
  const out = [...ipIssues('ip', props.ip, 'give PowerDNS a fixed address inside one of the MetalLB pools'), ...replicaIssues(props.replicas)];
  if (props.zones.length === 0) out.push({ field: 'zones', problem: 'PowerDns has no zone to serve', fix: 'pass at least one zone' });
  if (!props.ownerId) out.push({ field: 'ownerId', problem: 'is empty', fix: 'name the owner of the records external-dns creates, e.g. the cluster name' });
  return out;
}

/**
 * A stateless authoritative PowerDNS: every pod builds its SQLite database from the zones in Git at
 * start (init container), serves it on a fixed MetalLB address, and runs its own external-dns that
 * adds this cluster's Service and Ingress names through the pod-local API.
 */
export class PowerDns extends Construct {
  /** Name of the Deployment, Service, ServiceAccount and ConfigMap prefix. */
  static readonly NAME = 'powerdns';
  readonly namespace: string;
  /** The zone files by ConfigMap key (`<zone>.zone`). */
  readonly zoneFiles: Record<string, string>;
  readonly deployment: k8s.KubeDeployment;
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: PowerDnsProps) {
    super(scope, id);
    throwIfIssues(`PowerDns "${this.node.path}"${props.clusterName ? ` (cluster "${props.clusterName}")` : ''}`, validatePowerDnsProps(props));
    const { ip, zones } = props;
    const name = PowerDns.NAME;
    this.namespace = dnsNamespace(this, props.namespace ?? 'powerdns', props.createNamespace);
    const labels = componentLabels(name, 'dns');
    const selector = { 'app.kubernetes.io/name': name };
    const meta = (n: string): k8s.ObjectMeta => ({ name: n, namespace: this.namespace, labels });
    const replicas = props.replicas ?? 2;
    const sources = props.externalDnsSources ?? ['service', 'ingress'];
    const secretName = props.apiKeySecretName ?? 'powerdns-api-key';
    const secretKey = props.apiKeySecretKey ?? 'api-key';

    this.zoneFiles = Object.fromEntries(zones.map((z) => [`${z.name}.zone`, zoneText(z, { nameServerAddress: ip })]));
    const config = {
      'pdns.conf': pdnsConf({ listenAddress: parseIp(ip)?.family === 6 ? '::' : '0.0.0.0', allowAxfrFrom: props.allowAxfrFrom }),
      'load-zones.sh': LOAD_ZONES_SCRIPT,
      'ready.sh': READY_SCRIPT,
    };
    new k8s.KubeConfigMap(this, 'ConfigMap', { metadata: meta(`${name}-config`), data: config });
    new k8s.KubeConfigMap(this, 'ZonesConfigMap', { metadata: meta(`${name}-zones`), data: this.zoneFiles });
    // Zones are read only at pod start, so a change in them must roll the pods.
    const configHash = createHash('sha256').update(JSON.stringify([config, this.zoneFiles])).digest('hex').slice(0, 16);

    // The token is mounted only into external-dns; PowerDNS never talks to the API server.
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta(name), automountServiceAccountToken: false });
    new ExternalDnsAccess(this, 'external-dns-access', { serviceAccountName: name, namespace: this.namespace, sources, labels });
    if (sources.includes('crd')) new DnsEndpointCrd(this, 'dnsendpoint-crd');

    const pdnsImage = imageRef(props.image ?? images.powerdns);
    const pdnsVolumes = [
      { name: 'config', mountPath: PDNS_LAYOUT.configDir, readOnly: true },
      { name: 'data', mountPath: PDNS_LAYOUT.dataDir },
      { name: 'secret', mountPath: PDNS_LAYOUT.secretDir },
    ];
    const pdnsResources = resources(props.resources ?? { cpu: '50m', memory: '64Mi', memoryLimit: '256Mi' });
    const podSpec = dnsServerPodSpec({
      serviceAccountName: name,
      automountServiceAccountToken: false,
      user: PDNS_UID,
      fsGroup: PDNS_UID,
      // The zones it serves are delegated to this address: an outage here is an outage of those zones.
      priorityClassName: 'system-cluster-critical',
      spreadSelector: replicas > 1 ? selector : undefined,
      initContainers: [
        {
          name: 'load-zones',
          image: pdnsImage,
          imagePullPolicy: 'IfNotPresent',
          command: ['/bin/sh', `${PDNS_LAYOUT.configDir}/load-zones.sh`],
          env: [
            { name: 'PDNS_CONFIG_DIR', value: PDNS_LAYOUT.configDir },
            { name: 'PDNS_ZONE_DIR', value: PDNS_LAYOUT.zoneDir },
            { name: 'PDNS_SCHEMA', value: PDNS_LAYOUT.schema },
            { name: 'PDNS_API_KEY', valueFrom: { secretKeyRef: { name: secretName, key: secretKey } } },
          ],
          resources: pdnsResources,
          securityContext: restrictedContainerSecurityContext(),
          volumeMounts: [...pdnsVolumes, { name: 'zones', mountPath: PDNS_LAYOUT.zoneDir, readOnly: true }],
        },
      ],
      server: {
        name: 'pdns',
        image: pdnsImage,
        // Not the image's entrypoint, which writes config into the (read-only) image from env vars.
        command: ['/usr/bin/tini', '--', PDNS_LAYOUT.pdnsServer, `--config-dir=${PDNS_LAYOUT.configDir}`, '--daemon=no', '--guardian=no', '--disable-syslog', '--write-pid=no'],
        // DNS on PDNS_DNS_PORT (the Service maps 53 to it), so no NET_BIND_SERVICE: the pod stays `restricted`.
        dnsPort: PDNS_DNS_PORT,
        livenessProbe: tcpProbe('dns-tcp', { periodSeconds: 10, failureThreshold: 5 }),
        // Traffic only after the zones from Git and one sync of external-dns (see READY_SCRIPT).
        readinessProbe: { exec: { command: ['/bin/bash', `${PDNS_LAYOUT.configDir}/ready.sh`] }, periodSeconds: 2, failureThreshold: 2, timeoutSeconds: 5 },
        resources: pdnsResources,
        volumeMounts: [...pdnsVolumes.map((v) => (v.name === 'secret' ? { ...v, readOnly: true } : v)), { name: 'control', mountPath: PDNS_LAYOUT.socketDir }],
      },
      sidecars: [
        externalDnsSidecar({
          ownerId: props.ownerId,
          domains: zones.map((z) => z.name),
          pdnsServer: `http://127.0.0.1:${PDNS_API_PORT}`,
          sources,
          policy: props.externalDnsPolicy ?? 'sync',
          intervalSeconds: props.externalDnsIntervalSeconds,
          apiKeySecretName: secretName,
          apiKeySecretKey: secretKey,
          tokenVolume: 'kube-api-access',
        }),
      ],
      volumes: [
        { name: 'config', configMap: { name: `${name}-config` } },
        { name: 'zones', configMap: { name: `${name}-zones` } },
        { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
        { name: 'secret', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
        { name: 'control', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
        serviceAccountTokenVolume('kube-api-access'),
      ],
    });
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta(name),
      spec: {
        replicas,
        selector: { matchLabels: selector },
        // A new pod serves before an old one goes: full capacity during a rollout.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: { metadata: { labels: { ...labels, ...selector }, annotations: { 'fleetnet.io/config-hash': configHash } }, spec: podSpec },
      },
    });
    if (replicas > 1) dnsServerDisruptionBudget(this, meta(name), selector);
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { ...meta(name), annotations: fixedLoadBalancerIp(poolOwner(this, props), ip) },
      spec: { type: 'LoadBalancer', selector, ports: dnsServicePorts() },
    });
  }
}
