import type { k8s } from 'cdk8s-plus-27';
import { images, ImageVersion, imageRef } from '../catalog';
import { containerPort, httpProbe, resources, ResourceSpec, restrictedContainerSecurityContext } from '../common/workload';
import { externalDnsPdnsArgs, ExternalDnsPdnsArgsProps } from './args';
import { EXTERNAL_DNS_METRICS_PORT } from './names';
import { SERVICE_ACCOUNT_MOUNT_PATH } from './token-volume';

/** The environment variable external-dns reads `--pdns-api-key` from (kingpin's default envars). */
export const EXTERNAL_DNS_API_KEY_ENV = 'EXTERNAL_DNS_PDNS_API_KEY';

export interface ExternalDnsSidecarProps extends ExternalDnsPdnsArgsProps {
  /** Secret holding the PowerDNS API key; referenced by name, never rendered. */
  readonly apiKeySecretName: string;
  /** Key of the API key inside that Secret. */
  readonly apiKeySecretKey: string;
  /** Name of the pod volume with the ServiceAccount token (see serviceAccountTokenVolume). */
  readonly tokenVolume: string;
  /**
   * The external-dns image.
   * @default images.externalDns
   */
  readonly image?: ImageVersion;
  /**
   * Requests and limits.
   * @default 20m CPU, 64Mi memory, 192Mi memory limit
   */
  readonly resources?: ResourceSpec;
}

/** external-dns as a container next to the DNS server it writes to. */
export function externalDnsSidecar(props: ExternalDnsSidecarProps): k8s.Container {
  return {
    name: 'external-dns',
    image: imageRef(props.image ?? images.externalDns),
    imagePullPolicy: 'IfNotPresent',
    args: externalDnsPdnsArgs(props),
    env: [{ name: EXTERNAL_DNS_API_KEY_ENV, valueFrom: { secretKeyRef: { name: props.apiKeySecretName, key: props.apiKeySecretKey } } }],
    ports: [containerPort('edns-metrics', EXTERNAL_DNS_METRICS_PORT)],
    livenessProbe: httpProbe('/healthz', 'edns-metrics', { failureThreshold: 5 }),
    readinessProbe: httpProbe('/healthz', 'edns-metrics'),
    resources: resources(props.resources ?? { cpu: '20m', memory: '64Mi', memoryLimit: '192Mi' }),
    // The image's own non-root user (distroless nonroot).
    securityContext: restrictedContainerSecurityContext({ runAsUser: 65532 }),
    volumeMounts: [{ name: props.tokenVolume, mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true }],
  };
}
