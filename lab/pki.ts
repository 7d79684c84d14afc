import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The credentials of one lab cluster: a throwaway CA (P-256, 30 days), the API server's serving
 * certificate for the node address and the `kubernetes` Service, its client certificate towards the
 * kubelet, the ServiceAccount signing keys, and one static token per component, each with exactly the
 * identity kubeadm gives it (so RBAC is the built-in one, nothing wider).
 */
export interface LabPki {
  readonly dir: string;
  readonly ca: string;
  readonly caPem: string;
  readonly apiserverCert: string;
  readonly apiserverKey: string;
  readonly kubeletClientCert: string;
  readonly kubeletClientKey: string;
  readonly kubeletServingCert: string;
  readonly kubeletServingKey: string;
  readonly saKey: string;
  readonly saPub: string;
  readonly tokensFile: string;
  readonly tokens: Record<'admin' | 'kubelet' | 'controllerManager' | 'scheduler' | 'proxy', string>;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`lab: openssl ${args[0]} failed: ${err.stderr?.toString() || err.message}`);
  }
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function signed(dir: string, name: string, subject: string, ext: string[]): void {
  openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  writeFileSync(join(dir, `${name}.ext`), ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', ...ext, ''].join('\n'));
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '30', '-extfile', `${name}.ext`], dir);
}

/** Makes (or reuses, when present) the credentials in `<dir>`. */
export function ensurePki(dir: string, o: { cluster: string; node: string; nodeIP: string; kubernetesServiceIP: string; clusterDomain: string }): LabPki {
  mkdirSync(dir, { recursive: true });
  const tokensFile = join(dir, 'tokens.csv');
  if (!existsSync(tokensFile)) {
    openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', `/CN=fleetnet-lab-${o.cluster}-ca`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    const svc = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${o.clusterDomain}`].map((n) => `DNS:${n}`);
    signed(dir, 'apiserver', '/CN=kube-apiserver', ['extendedKeyUsage=serverAuth', `subjectAltName=IP:${o.nodeIP},IP:${o.kubernetesServiceIP},IP:127.0.0.1,DNS:localhost,${svc.join(',')}`]);
    signed(dir, 'apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', ['extendedKeyUsage=clientAuth']);
    signed(dir, 'kubelet', `/CN=${o.node}`, ['extendedKeyUsage=serverAuth', `subjectAltName=IP:${o.nodeIP},DNS:${o.node}`]);
    const sa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(join(dir, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));
    const t = () => randomBytes(24).toString('hex');
    const rows = [
      [t(), 'fleetnet-lab-admin', 'fleetnet-lab-admin', 'system:masters'],
      [t(), `system:node:${o.node}`, `system:node:${o.node}`, 'system:nodes'],
      [t(), 'system:kube-controller-manager', 'system:kube-controller-manager', ''],
      [t(), 'system:kube-scheduler', 'system:kube-scheduler', ''],
      [t(), 'system:kube-proxy', 'system:kube-proxy', ''],
    ];
    writeFileSync(tokensFile, rows.map((r) => `${r[0]},${r[1]},${r[2]}${r[3] ? `,"${r[3]}"` : ''}`).join('\n') + '\n', { mode: 0o600 });
  }
  const tokens = readFileSync(tokensFile, 'utf8').trim().split('\n').map((l) => l.split(',')[0]);
  const p = (f: string) => join(dir, f);
  return {
    dir,
    ca: p('ca.crt'),
    caPem: readFileSync(p('ca.crt'), 'utf8'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    kubeletClientCert: p('apiserver-kubelet-client.crt'),
    kubeletClientKey: p('apiserver-kubelet-client.key'),
    kubeletServingCert: p('kubelet.crt'),
    kubeletServingKey: p('kubelet.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    tokensFile,
    tokens: { admin: tokens[0], kubelet: tokens[1], controllerManager: tokens[2], scheduler: tokens[3], proxy: tokens[4] },
  };
}

/** A kubeconfig with one cluster, user and context. */
export function kubeconfig(o: { name: string; server: string; caPem: string; token: string }): string {
  const ca = Buffer.from(o.caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${o.name}`,
    '  cluster:',
    `    server: ${o.server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${o.name}`,
    '  user:',
    `    token: ${o.token}`,
    'contexts:',
    `- name: ${o.name}`,
    '  context:',
    `    cluster: ${o.name}`,
    `    user: ${o.name}`,
    `current-context: ${o.name}`,
    '',
  ].join('\n');
}
