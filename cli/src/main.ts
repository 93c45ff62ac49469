/**
 * The `fairio` command: one subcommand per node. Commands hold no logic of
 * their own; they parse options, call the packages, and report. Exit codes:
 * 0 success, 1 failure (one-line error on stderr), 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { isFairioError } from '@fairio/ngff/errors';
import { nodes } from '@fairio/model-runner/nodes';
import { registerNode } from './node-command.js';
import { addFairOptions } from './fair-options.js';
import { registerConvert } from './commands/convert.js';
import { registerCrate } from './commands/crate.js';
import { registerGalaxyRun } from './commands/galaxy-run.js';
import { registerInfo } from './commands/info.js';
import { registerModel } from './commands/model.js';
import { registerSample } from './commands/sample.js';
import { registerValidate } from './commands/validate.js';
import { registerWorkflow } from './commands/workflow.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('fairio')
    .description('FAIR, reproducible bioimage analysis: OME-Zarr, analysis nodes, provenance crates')
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerConvert(program);
  registerInfo(program);
  registerValidate(program);
  registerSample(program);
  registerCrate(program);
  registerModel(program);
  registerWorkflow(program);
  registerGalaxyRun(program);
  // Every node run leaves a Process Run Crate, with FAIR metadata for its images; the provenance code loads when a node runs.
  for (const node of nodes) {
    registerNode(program, node, {
      configure: (c) => void addFairOptions(c),
      check: async (o) => void (await import('./record-command-run.js')).checkFairOptions(o),
      onRecord: async (record, invocation) => (await import('./record-node-run.js')).recordNodeRun(record, invocation),
    });
  }
  // Errors surface as exceptions (handled in `main`), not process exits, at every level of subcommands.
  const override = (command: Command): void => command.commands.forEach((c) => override(c.exitOverride()));
  override(program);
  return program;
}

/** One line, naming the problem; `--json` callers also get it on stdout. */
function report(error: unknown, json: boolean): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  const message = error instanceof Error ? error.message : String(error);
  const code = isFairioError(error) ? error.code : 'INTERNAL';
  process.stderr.write(`fairio: error: ${message.split('\n')[0]}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  if (!isFairioError(error) && process.env.FAIRIO_DEBUG) console.error(error);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    // Commands that finish with a verdict (e.g. validate: invalid) set their own exit code.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return report(error, argv.includes('--json'));
  }
}

