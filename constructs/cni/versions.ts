/** CNI specification versions, oldest first. */
export const CNI_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0'] as const;
export type CniVersion = (typeof CNI_VERSIONS)[number];

const from = (first: CniVersion): readonly CniVersion[] => CNI_VERSIONS.slice(CNI_VERSIONS.indexOf(first));

/**
 * The versions each plugin accepts. The reference plugins' entries are what the plugins at
 * containernetworking/plugins v1.1.1 answer to CNI_COMMAND=VERSION (test/cni asks the Debian build);
 * mizarcni's come from its source (cmd/mizarcni/mizarcni.go: 0.2.0-0.3.1, ADD and DEL only).
 */
export const PLUGIN_VERSIONS: Readonly<Record<string, readonly CniVersion[]>> = {
  bridge: from('0.1.0'),
  'host-local': from('0.1.0'),
  portmap: from('0.1.0'),
  tuning: from('0.1.0'),
  bandwidth: from('0.3.0'),
  firewall: from('0.4.0'),
  mizarcni: ['0.2.0', '0.3.0', '0.3.1'],
};

/** Network configuration lists, and so chaining with prevResult, exist since spec 0.3.0. */
export const FIRST_LIST_VERSION: CniVersion = '0.3.0';

export function isCniVersion(text: string): text is CniVersion {
  return (CNI_VERSIONS as readonly string[]).includes(text);
}

/** True when `version` is `than` or later. */
export function atLeast(version: CniVersion, than: CniVersion): boolean {
  return CNI_VERSIONS.indexOf(version) >= CNI_VERSIONS.indexOf(than);
}
