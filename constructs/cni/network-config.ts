import type { CniPlugin } from './plugins';
import { atLeast, CNI_VERSIONS, CniVersion, FIRST_LIST_VERSION, isCniVersion } from './versions';

/** One problem with a network configuration list. */
export interface CniConfigProblem {
  /** Where: `name`, `cniVersion` or `plugins[i]`. */
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

export interface CniNetworkConfigListProps {
  /** Network name (CNI spec: starts alphanumeric, then alphanumerics, `_`, `.`, `-`). */
  readonly name: string;
  /**
   * Specification version the runtime and every plugin speak.
   * @default '1.0.0'
   */
  readonly cniVersion?: string;
  /** The chain: exactly one main plugin, first, then chained plugins, each type once. */
  readonly plugins: readonly CniPlugin[];
}

const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Every problem of a chain, in order; empty when the chain is valid. */
export function cniConfigProblems(props: CniNetworkConfigListProps): CniConfigProblem[] {
  const problems: CniConfigProblem[] = [];
  const report = (field: string, problem: string, fix: string) => problems.push({ field, problem, fix });
  const version = props.cniVersion ?? '1.0.0';
  if (!NETWORK_NAME.test(props.name)) {
    report('name', `"${props.name}" is not a CNI network name`, 'start with a letter or digit, then use letters, digits, "_", "." or "-"');
  }
  if (!isCniVersion(version)) {
    report('cniVersion', `"${version}" is not a CNI specification version`, `use one of ${CNI_VERSIONS.join(', ')}`);
  }
  const mains = props.plugins.map((p, i) => ({ p, i })).filter(({ p }) => p.role === 'main');
  if (mains.length === 0) report('plugins', 'the chain has no main plugin, so no pod gets an interface', 'put bridge or mizarcni first');
  for (const { p, i } of mains.slice(1)) {
    report(`plugins[${i}]`, `a second main plugin "${p.type}" (after "${mains[0].p.type}"); a pod gets its interface from exactly one`, 'keep one main plugin and chain the others after it');
  }
  if (mains.length > 0 && mains[0].i !== 0) {
    report(`plugins[${mains[0].i}]`, `main plugin "${mains[0].p.type}" comes after "${props.plugins[0].type}", which needs the interface it creates`, 'put the main plugin first');
  }
  const seen = new Map<string, number>();
  for (const [i, p] of props.plugins.entries()) {
    const before = seen.get(p.type);
    if (before !== undefined) report(`plugins[${i}]`, `plugin "${p.type}" is already in the chain at plugins[${before}]`, 'list each plugin once');
    else seen.set(p.type, i);
    if (isCniVersion(version) && !p.supportedVersions.includes(version)) {
      report(`plugins[${i}]`, `plugin "${p.type}" does not support cniVersion ${version} (it supports ${p.supportedVersions.join(', ')})`, 'pick a cniVersion every plugin of the chain supports, or drop the plugin');
    }
  }
  if (isCniVersion(version) && props.plugins.length > 1 && !atLeast(version, FIRST_LIST_VERSION)) {
    report('cniVersion', `chaining needs cniVersion ${FIRST_LIST_VERSION} or later, got ${version}`, `use ${FIRST_LIST_VERSION} or later`);
  }
  return problems;
}

/**
 * A CNI network configuration list (`.conflist`), validated when it is created: the error lists
 * every problem with its fix.
 */
export class CniNetworkConfigList {
  readonly name: string;
  readonly cniVersion: CniVersion;
  readonly plugins: readonly CniPlugin[];

  constructor(props: CniNetworkConfigListProps) {
    const problems = cniConfigProblems(props);
    if (problems.length > 0) {
      throw new Error(`CNI network "${props.name}" is invalid:\n${problems.map((p) => `  - ${p.field}: ${p.problem}. Fix: ${p.fix}`).join('\n')}`);
    }
    this.name = props.name;
    this.cniVersion = (props.cniVersion ?? '1.0.0') as CniVersion;
    this.plugins = props.plugins;
  }

  /** The file name runtimes load; the `10-` prefix orders it among other files in net.d. */
  get fileName(): string {
    return `10-${this.name}.conflist`;
  }

  toJson(): Record<string, unknown> {
    return { cniVersion: this.cniVersion, name: this.name, plugins: this.plugins.map((p) => p.toJson()) };
  }

  /** The file's text: stable key order, two-space indent, trailing newline. */
  render(): string {
    return `${JSON.stringify(this.toJson(), null, 2)}\n`;
  }
}
