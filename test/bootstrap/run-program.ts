import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { startFakeEngine, type EngineLog, type Registration } from './fake-engine';

export const BOOTSTRAP_DIR = resolve(__dirname, '../../bootstrap');

interface ProjectFile {
  name: string;
  main?: string;
  runtime: { name: string; options?: { typescript?: boolean; nodeargs?: string } };
}

export interface ProgramRun {
  readonly exitCode: number | null;
  readonly registrations: readonly Registration[];
  readonly outputs: Record<string, unknown>;
  readonly logs: readonly EngineLog[];
  readonly stderr: string;
}

export interface RunOptions {
  readonly stack: string;
  /** As `pulumi preview` (true) or `pulumi up` (false) runs the program. */
  readonly dryRun: boolean;
  /** KUBECONFIG for the program. */
  readonly kubeconfig: string;
  /** Config on top of bootstrap/Pulumi.<stack>.yaml's, as `pulumi config set` (a string) or `pulumi config rm` (null) would change it. */
  readonly config?: Readonly<Record<string, string | null>>;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

/**
 * Runs bootstrap/ the way the Pulumi CLI's Node.js language host does for this Pulumi.yaml: `node
 * <nodeargs> @pulumi/pulumi/cmd/run --monitor … --engine … --project … --stack … --pwd <program dir>
 * [--dry-run] <main>`, with the stack's config in PULUMI_CONFIG, against a fake engine that records
 * every registration. Bounded in time; the process is killed if it outlives the bound.
 */
export async function runBootstrapProgram(options: RunOptions): Promise<ProgramRun> {
  const project = parse(readFileSync(join(BOOTSTRAP_DIR, 'Pulumi.yaml'), 'utf8')) as ProjectFile;
  if (project.runtime.name !== 'nodejs') throw new Error(`bootstrap/Pulumi.yaml: runtime ${project.runtime.name} is not nodejs`);
  const stackFile = join(BOOTSTRAP_DIR, `Pulumi.${options.stack}.yaml`);
  const stackConfig = existsSync(stackFile) ? ((parse(readFileSync(stackFile, 'utf8')) as { config?: Record<string, unknown> }).config ?? {}) : {};
  const config = Object.fromEntries(Object.entries({ ...stackConfig, ...options.config }).filter(([, value]) => value !== null));

  const engine = await startFakeEngine(options.stack, project.name);
  // The language host runs the runtime of the @pulumi/pulumi the program resolves.
  const runPath = join(dirname(require.resolve('@pulumi/pulumi/package.json', { paths: [BOOTSTRAP_DIR] })), 'cmd', 'run');
  const nodeargs = (project.runtime.options?.nodeargs ?? '').split(/\s+/).filter((a) => a !== '');
  const args = [
    ...nodeargs,
    runPath,
    '--monitor', engine.address,
    '--engine', engine.address,
    '--project', project.name,
    '--root-directory', BOOTSTRAP_DIR,
    '--stack', options.stack,
    '--pwd', BOOTSTRAP_DIR,
    ...(options.dryRun ? ['--dry-run'] : []),
    '--parallel', '4',
    project.main ?? '.',
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KUBECONFIG: options.kubeconfig,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: '[]',
    ...(project.runtime.options?.typescript !== false ? { PULUMI_NODEJS_TYPESCRIPT: 'true' } : {}),
  };
  const child = spawn(process.execPath, args, { cwd: BOOTSTRAP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timeoutMs = options.timeoutMs ?? 120_000;
  try {
    const exitCode = await new Promise<number | null>((resolveExit, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the program did not finish within ${timeoutMs} ms:\n${stderr}`));
      }, timeoutMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolveExit(code);
      });
    });
    return { exitCode, registrations: engine.registrations, outputs: engine.stackOutputs, logs: engine.logs, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await engine.stop();
  }
}
