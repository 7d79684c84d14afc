/**
 * A typed Corefile: server blocks made of plugin directives, rendered deterministically. The typed
 * option builders for each plugin are in plugins.ts; this file only knows the syntax.
 */

/** One line inside a plugin's block: `key args...`. */
export interface DirectiveOption {
  readonly key: string;
  readonly args?: readonly (string | number)[];
}

/** A plugin directive: `name args... { options }`. */
export interface Directive {
  readonly name: string;
  readonly args?: readonly (string | number)[];
  readonly options?: readonly DirectiveOption[];
}

export interface ServerBlockProps {
  /** Zones this block serves (`.` for everything). */
  readonly zones: readonly string[];
  /**
   * Port the block listens on.
   * @default 53
   */
  readonly port?: number;
  /**
   * More ports the same block listens on, with the same plugins (for instance the port kubeadm's
   * CoreDNS pods declare, while they still run the new Corefile during a takeover).
   * @default []
   */
  readonly alsoPorts?: readonly number[];
  /** The plugins. Their order here is only for reading: CoreDNS runs them in its compiled order. */
  readonly plugins: readonly Directive[];
}

export class ServerBlock {
  readonly zones: readonly string[];
  readonly port: number;
  readonly alsoPorts: readonly number[];
  readonly plugins: readonly Directive[];

  constructor(props: ServerBlockProps) {
    if (props.zones.length === 0) throw new Error('a Corefile server block needs at least one zone; use "." for every name');
    const seen = new Set<string>();
    for (const p of props.plugins) {
      if (seen.has(p.name)) throw new Error(`server block ${props.zones.join(' ')}: plugin "${p.name}" appears twice; CoreDNS allows each plugin once per block`);
      seen.add(p.name);
    }
    this.zones = props.zones;
    this.port = props.port ?? 53;
    this.alsoPorts = (props.alsoPorts ?? []).filter((p) => p !== this.port);
    this.plugins = props.plugins;
  }

  render(): string {
    const head = [this.port, ...this.alsoPorts].flatMap((port) => this.zones.map((z) => `${z}:${port}`)).join(' ');
    const body = this.plugins.map((p) => renderDirective(p, '    ')).join('\n');
    return `${head} {\n${body}\n}\n`;
  }
}

/** A whole Corefile. `health` and `ready` are process-wide, so they may appear in one block only. */
export class Corefile {
  readonly blocks: readonly ServerBlock[];

  constructor(blocks: readonly ServerBlock[]) {
    for (const processWide of ['health', 'ready']) {
      const count = blocks.filter((b) => b.plugins.some((p) => p.name === processWide)).length;
      if (count > 1) throw new Error(`the Corefile has "${processWide}" in ${count} server blocks; it is process-wide, keep it in one`);
    }
    this.blocks = blocks;
  }

  /** Every plugin name used, sorted: what the CoreDNS binary must have compiled in. */
  get pluginNames(): string[] {
    return [...new Set(this.blocks.flatMap((b) => b.plugins.map((p) => p.name)))].sort();
  }

  render(): string {
    return this.blocks.map((b) => b.render()).join('\n');
  }
}

function renderDirective(d: Directive, indent: string): string {
  const head = [d.name, ...(d.args ?? []).map(String)].join(' ');
  if (!d.options || d.options.length === 0) return `${indent}${head}`;
  const lines = d.options.map((o) => `${indent}    ${[o.key, ...(o.args ?? []).map(String)].join(' ')}`);
  return `${indent}${head} {\n${lines.join('\n')}\n${indent}}`;
}
