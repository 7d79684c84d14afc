import { LocalWorkspace, PulumiCommand, type EngineEvent, type OpMap, type OutputMap } from '@pulumi/pulumi/automation';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { goModules } from '../constructs/catalog';
import { bootstrapCluster, type BootstrapArgs } from './program';

/** The Pulumi project name of bootstrap/Pulumi.yaml: CLI users and this entry share stacks. */
export const PROJECT_NAME = 'fleetnet-bootstrap';

const ROOT = resolve(__dirname, '..');
const PROVIDER_RELEASE = goModules.pulumiKubernetesProvider.release;

/** Where tools/pulumi/build.sh puts the CLI and the Kubernetes provider of the catalog's versions. */
export const PULUMI_BINARY = join(ROOT, '.cache/bin', `pulumi-${goModules.pulumiCli.version}`);
export const PROVIDER_BINARY = join(ROOT, '.cache/bin', `pulumi-resource-kubernetes-v${PROVIDER_RELEASE}`);

export type Operation = 'preview' | 'up' | 'destroy';
export const OPERATIONS: readonly Operation[] = ['preview', 'up', 'destroy'];

export interface RunBootstrapOptions {
  readonly operation: Operation;
  /** The program's arguments: fleet, cluster (stack), charts-out, kubeconfig context. */
  readonly program: BootstrapArgs;
  /**
   * The state backend.
   * @default $PULUMI_BACKEND_URL, else file://~/.pulumi-fleetnet
   */
  readonly backendUrl?: string;
  /**
   * The passphrase that encrypts secrets in a self-managed backend's state.
   * @default $PULUMI_CONFIG_PASSPHRASE (required when the backend is not Pulumi Cloud)
   */
  readonly passphrase?: string;
  /**
   * A private PULUMI_HOME: the CLI's settings and its plugins (only the provider installed from the local build).
   * @default <repo>/.cache/pulumi-home
   */
  readonly pulumiHome?: string;
  /**
   * The folder of the inline program's Pulumi.yaml / Pulumi.<stack>.yaml (keeps the stack's encryption salt).
   * @default ~/.pulumi-fleetnet/workspace for a file backend in ~/.pulumi-fleetnet, else <pulumiHome>/workspace
   */
  readonly workDir?: string;
  /** Extra environment for the CLI and the provider (e.g. proxy settings). */
  readonly env?: Readonly<Record<string, string>>;
  /** Each line the CLI prints. */
  readonly onOutput?: (text: string) => void;
  /** Each engine event. */
  readonly onEvent?: (event: EngineEvent) => void;
  /**
   * Bound on the whole operation; the update is cancelled when it is hit.
   * @default 1200000 (20 minutes)
   */
  readonly timeoutMs?: number;
}

export interface BootstrapRun {
  readonly operation: Operation;
  /** Steps by kind (`create`, `same`, `update`, `delete`, …), as the engine summarized them. */
  readonly changes: OpMap;
  readonly events: readonly EngineEvent[];
  readonly outputs: OutputMap;
  readonly stdout: string;
  readonly durationMs: number;
}

/** The CLI's environment: everything local, nothing looked up or downloaded. */
function cliEnv(pulumiHome: string, backendUrl: string, passphrase: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  return {
    PULUMI_HOME: pulumiHome,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: 'false',
    ...extra,
  };
}

function requireBinary(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is not built. Fix: run tools/pulumi/build.sh (npm test runs it); it builds the versions in constructs/catalog.ts`);
}

/**
 * Prepares PULUMI_HOME: the CLI under <home>/cli/bin/pulumi (where the Automation API looks), and the
 * Kubernetes provider installed from the local build with `pulumi plugin install --file`. Idempotent.
 */
export function preparePulumiHome(pulumiHome: string, env: Record<string, string>): void {
  requireBinary(PULUMI_BINARY);
  requireBinary(PROVIDER_BINARY);
  const link = join(pulumiHome, 'cli', 'bin', 'pulumi');
  mkdirSync(join(pulumiHome, 'cli', 'bin'), { recursive: true });
  if (!existsSync(link) || readlinkSync(link) !== PULUMI_BINARY) {
    rmSync(link, { force: true });
    symlinkSync(PULUMI_BINARY, link);
  }
  if (!existsSync(join(pulumiHome, 'plugins', `resource-kubernetes-v${PROVIDER_RELEASE}`, 'pulumi-resource-kubernetes'))) {
    execFileSync(PULUMI_BINARY, ['plugin', 'install', 'resource', 'kubernetes', PROVIDER_RELEASE, '--file', PROVIDER_BINARY], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
  }
}

/**
 * Runs the bootstrap program of one cluster through the Pulumi Automation API, as an inline program:
 * the Node.js process serves the language runtime itself, so no `pulumi-language-nodejs` is needed,
 * and the CLI and the provider are the local builds (tools/pulumi/build.sh).
 */
export async function runBootstrap(opts: RunBootstrapOptions): Promise<BootstrapRun> {
  const begin = Date.now();
  const stateDir = join(homedir(), '.pulumi-fleetnet');
  const backendUrl = opts.backendUrl ?? process.env.PULUMI_BACKEND_URL ?? `file://${stateDir}`;
  const passphrase = opts.passphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE;
  if (passphrase === undefined && backendUrl.startsWith('file://')) {
    throw new Error(`PULUMI_CONFIG_PASSPHRASE is not set: the state in ${backendUrl} encrypts secrets with it. Fix: export PULUMI_CONFIG_PASSPHRASE=… (keep it in your password manager; every run of this stack needs the same one)`);
  }
  const pulumiHome = opts.pulumiHome ?? join(ROOT, '.cache', 'pulumi-home');
  const env = cliEnv(pulumiHome, backendUrl, passphrase ?? '', opts.env ?? {});
  preparePulumiHome(pulumiHome, env);
  if (backendUrl.startsWith('file://')) mkdirSync(backendUrl.slice('file://'.length).replace(/^~(?=\/)/, homedir()), { recursive: true });
  const workDir = opts.workDir ?? (backendUrl === `file://${stateDir}` ? join(stateDir, 'workspace') : join(pulumiHome, 'workspace'));
  mkdirSync(workDir, { recursive: true });

  const pulumiCommand = await PulumiCommand.get({ root: join(pulumiHome, 'cli') });
  let outputs: OutputMap = {};
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: PROJECT_NAME, stackName: opts.program.stack, program: async () => bootstrapCluster(opts.program) },
    { workDir, pulumiHome, pulumiCommand, envVars: env, projectSettings: { name: PROJECT_NAME, runtime: 'nodejs' } },
  );
  const events: EngineEvent[] = [];
  let stdout = '';
  const common = {
    color: 'never' as const,
    onOutput: (text: string) => {
      stdout += text;
      opts.onOutput?.(text);
    },
    onEvent: (event: EngineEvent) => {
      events.push(event);
      opts.onEvent?.(event);
    },
  };
  const timeoutMs = opts.timeoutMs ?? 1_200_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void stack.cancel().catch(() => undefined);
      reject(new Error(`pulumi ${opts.operation} of stack ${opts.program.stack} did not finish within ${timeoutMs / 1000} s; it was cancelled. Last output:\n${stdout.split('\n').slice(-30).join('\n')}`));
    }, timeoutMs);
  });
  try {
    let changes: OpMap;
    if (opts.operation === 'preview') {
      changes = (await Promise.race([stack.preview(common), timeout])).changeSummary;
    } else if (opts.operation === 'up') {
      const result = await Promise.race([stack.up(common), timeout]);
      changes = result.summary.resourceChanges ?? {};
      outputs = result.outputs;
    } else {
      changes = (await Promise.race([stack.destroy(common), timeout])).summary.resourceChanges ?? {};
    }
    return { operation: opts.operation, changes, events, outputs, stdout, durationMs: Date.now() - begin };
  } finally {
    clearTimeout(timer);
  }
}
