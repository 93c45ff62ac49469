/**
 * `fairio galaxy-run --tool ID --inputs inputs.json --output NAME=PATH …`:
 * the whole command line of every fairio Galaxy tool. Galaxy hands over the
 * filled-in form as JSON and the paths of the output datasets; this command
 * stages the inputs under names fairio understands, runs the ordinary fairio
 * command (`planJob` builds its argument vector; no shell is involved, so no
 * value a user typed can run anything), zips the Process Run Crate the run
 * left in its output folder as the job's RO-Crate output, and moves each
 * output into its Galaxy dataset.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { FairioError } from '@fairio/ngff/errors';
import { findTool, galaxyTools } from '@fairio/galaxy-tools/catalogue';
import type { JobPlan } from '@fairio/galaxy-tools';

interface GalaxyRunOptions {
  tool: string;
  inputs: string;
  output: string[];
  outputDir?: string[];
  workers?: string;
  workDir?: string;
}

function pairs(values: string[] | undefined, what: string): Record<string, string> {
  return Object.fromEntries(
    (values ?? []).map((v) => {
      const at = v.indexOf('=');
      if (at < 1) throw new FairioError('INVALID_ARGUMENT', `${what} takes NAME=PATH, not "${v}"`);
      return [v.slice(0, at), v.slice(at + 1)];
    }),
  );
}

/** Run fairio's own command line in this process, with its standard output captured. */
async function runFairio(argv: string[]): Promise<{ code: number; stdout: string }> {
  // Imported here: main.js registers this command, so a static import would be circular at load time.
  const { main } = await import('../main.js');
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')), true)) as typeof process.stdout.write;
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'fairio', ...argv]), stdout };
  } finally {
    process.stdout.write = write;
    process.exitCode = previous;
  }
}

/** A command that writes no crate of its own (info, validate): the job records its run. */
async function recordReport(plan: JobPlan, toolName: string, command: string, started: Date, error?: string): Promise<void> {
  const { recordRun } = await import('@fairio/provenance');
  await recordRun(
    {
      name: `${toolName}: ${plan.inputs.map((i) => path.basename(i.path)).join(', ')}`,
      tool: command,
      inputs: plan.inputs.map((i) => ({ path: i.path, name: `${i.name}: ${path.basename(i.path)}` })),
      parameters: plan.parameters.map((p) => ({ name: p.name, value: p.value })),
      outputs: plan.outputs.filter((o) => fs.existsSync(o.produced)).map((o) => ({ path: o.produced })),
      startTime: started,
      ...(error ? { error } : {}),
    },
    { crateDir: plan.outputDir },
  );
}

export function registerGalaxyRun(program: Command): void {
  program
    .command('galaxy-run')
    .description('run a fairio Galaxy tool inside its Galaxy job (the command line of every fairio tool XML)')
    .requiredOption('--tool <id>', `tool id: ${galaxyTools.map((t) => t.description.id).join(', ')}`)
    .requiredOption('--inputs <json>', "Galaxy's inputs JSON (<configfiles><inputs data_style=\"staging_path_and_source_path\"/>)")
    .option('--output <name=path...>', 'output dataset path by output name (repeatable)')
    .option('--output-dir <name=path...>', 'extra files folder of a directory output (ome_zarr) by output name (repeatable)')
    .option('--workers <n>', 'worker threads (GALAXY_SLOTS)')
    .option('--work-dir <dir>', 'folder for staged inputs and outputs (default: the working directory)', '.')
    .action(async (options: GalaxyRunOptions) => {
      const tool = findTool(options.tool);
      if (!tool) throw new FairioError('INVALID_ARGUMENT', `galaxy-run: no tool "${options.tool}" (known: ${galaxyTools.map((t) => t.description.id).join(', ')})`);
      const { moveInto, planJob, stage, CRATE_OUTPUT } = await import('@fairio/galaxy-tools');
      const { zipFolder } = await import('@fairio/provenance');
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(fs.readFileSync(options.inputs, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        throw new FairioError('INVALID_JSON', `cannot read Galaxy's inputs JSON: ${(error as Error).message}`, { path: options.inputs });
      }
      const galaxyOutputs = pairs(options.output, '--output');
      const plan = planJob(tool, json, {
        workDir: path.resolve(options.workDir ?? '.'),
        outputs: galaxyOutputs,
        outputDirs: pairs(options.outputDir, '--output-dir'),
        workers: options.workers === undefined ? undefined : Math.max(1, Number(options.workers) || 1),
      });
      stage(plan);
      // What ran, for the job's stdout in Galaxy: the fairio command, one argument per line would be unreadable.
      process.stderr.write(`fairio ${plan.argv.map((a) => (/^[\w./=,:@+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}\n`);
      const started = new Date();
      const { code, stdout } = await runFairio(plan.argv);
      const run = tool.run;
      const accepted = code === 0 || (run.kind === 'command' && (run.verdictExitCodes ?? []).includes(code));
      for (const o of plan.outputs) if (o.stdout && accepted) fs.writeFileSync(o.produced, stdout);
      if (!plan.outputs.some((o) => o.stdout)) process.stdout.write(stdout);
      if (run.kind === 'command' && !run.records) await recordReport(plan, tool.description.name, tool.description.command.join(' '), started, accepted ? undefined : `exit code ${code}`);

      // The job's crate: the output folder with everything the run wrote and its Process Run Crate.
      const crate = galaxyOutputs[CRATE_OUTPUT];
      if (crate && fs.existsSync(path.join(plan.outputDir, 'ro-crate-metadata.json'))) {
        const zip = path.join(path.dirname(plan.outputDir), 'crate.zip');
        await zipFolder(plan.outputDir, zip, { overwrite: true, exclude: (r) => r.endsWith('.lock') || /(^|\/)\.[^/]+\.(partial|tmp)-/.test(r) });
        moveInto(zip, crate);
      }
      if (!accepted) {
        process.exitCode = code;
        return;
      }
      for (const o of plan.outputs) {
        if (!fs.existsSync(o.produced)) throw new FairioError('NOT_FOUND', `the run wrote no ${o.name} output`, { path: o.produced });
        if (o.zip) {
          const zip = `${o.produced}.zip`;
          await zipFolder(o.produced, zip, { overwrite: true });
          moveInto(zip, o.dataset);
        } else if (o.extraFiles) {
          moveInto(o.produced, o.extraFiles);
          // A directory dataset's own file stays a small pointer; Galaxy reads the store from its extra files.
          fs.writeFileSync(o.dataset, `${path.basename(o.produced)}\n`);
        } else {
          moveInto(o.produced, o.dataset);
        }
      }
    });
}
