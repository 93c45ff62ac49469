/**
 * `fairio workflow …`: Galaxy workflows of fairio tools, without Galaxy.
 *
 * - `fairio workflow run WF LABEL=FILE… --outdir OUT` — run locally; unchanged steps are reused; a run crate in OUT
 * - `fairio workflow export WF --format ga|gxwf|crate` — the other format, or a Workflow RO-Crate for WorkflowHub
 * - `fairio workflow lint WF` — missing tools, cycles, mis-connected datatypes, IWC best practices
 * - `fairio workflow test WF --outdir OUT` — its planemo tests (`<name>-tests.yml`), run locally
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { FairioError } from '@fairio/ngff/errors';
import type { Creator, RunEvent, Value, WorkflowRunResult } from '@fairio/workflows';
import { emit, type CommonOptions } from '../output.js';
import { checkLicense } from '../license.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function describeValue(value: Value | undefined): string {
  if (!value) return '(none)';
  if (value.kind === 'parameter') return String(value.value);
  if (value.kind === 'dataset') return value.path;
  return `${value.elements.length} elements in ${path.dirname(value.elements[0].path)}`;
}

/** One line per step event on stderr; long jobs report their progress every few seconds. */
function eventPrinter(quiet: boolean): (event: RunEvent) => void {
  const lastProgress = new Map<string, number>();
  const name = (e: { step: string; element?: string }) => (e.element ? `${e.step} [${e.element}]` : e.step).padEnd(24);
  return (event) => {
    if (quiet) return;
    const line = (text: string) => process.stderr.write(`${text}\n`);
    switch (event.type) {
      case 'start':
        line(`  ▸ ${name(event)} running`);
        break;
      case 'progress': {
        const key = `${event.step}/${event.element ?? ''}`;
        const now = Date.now();
        if (event.total > 0 && now - (lastProgress.get(key) ?? now) >= 5000) line(`  … ${name(event)} ${Math.round((100 * event.done) / event.total)}%`);
        if (!lastProgress.has(key) || now - lastProgress.get(key)! >= 5000) lastProgress.set(key, now);
        break;
      }
      case 'done':
        line(event.status === 'cached' ? `  ↺ ${name(event)} unchanged, reused` : `  ✓ ${name(event)} done in ${event.seconds.toFixed(1)} s`);
        break;
      case 'failed':
        line(`  ✗ ${name(event)} failed: ${event.error.split('\n')[0]}`);
        break;
      case 'skipped':
        line(`  – ${name(event)} skipped: ${event.reason}`);
        break;
    }
  };
}

/** "1 step", "3 steps" with that status. */
function count(steps: { status: string }[], status: string): string {
  const n = steps.filter((s) => s.status === status).length;
  return `${n} step${n === 1 ? '' : 's'}`;
}

function runSummary(result: WorkflowRunResult, started: number) {
  return {
    status: result.status,
    outdir: result.outdir,
    crate: result.crate,
    // Wall time, recording the crate included.
    seconds: (Date.now() - started) / 1000,
    steps: result.steps.map((s) => ({ step: s.step, status: s.status, jobs: s.jobs.length, ...(s.error ? { error: s.error } : {}) })),
    outputs: result.outputs,
    ...(result.error ? { error: result.error } : {}),
  };
}

async function creatorsOf(texts: string[]): Promise<Creator[]> {
  const { parsePerson, orcidUrl } = await import('@fairio/provenance');
  return texts.map((text) => {
    const person = parsePerson(text);
    return { class: 'Person', name: person.name, ...(person.orcid ? { identifier: orcidUrl(person.orcid) } : {}) };
  });
}

export function registerWorkflow(program: Command): void {
  const workflow = program.command('workflow').description('Galaxy workflows of fairio tools: run locally, lint, export for Galaxy and WorkflowHub');

  workflow
    .command('run')
    .description('run a workflow (.gxwf.yml or .ga) locally, without Galaxy: steps in dependency order, independent ones in parallel, unchanged steps reused from an earlier run into the same folder; the run is recorded as a Workflow Run / Provenance Run Crate in OUTDIR')
    .argument('<workflow>', 'the workflow file (.gxwf.yml or .ga)')
    .argument('[inputs...]', 'workflow inputs as LABEL=VALUE (a file, or a parameter value); repeat a label for a collection: images=a.tif images=b.tif')
    .requiredOption('--outdir <dir>', 'folder for the outputs (one subfolder per step) and the run crate')
    .option('--job <file>', 'the inputs as a planemo job file (YAML), as in <name>-tests.yml')
    .option('--parallel <n>', 'jobs run at once', '2')
    .option('--workers <n>', 'worker threads per job (default: the cores shared among parallel jobs)')
    .option('--no-cache', 'run every step, even unchanged ones')
    .option('--no-crate', 'write no run crate')
    .option('--agent <person>', 'who ran it, for the crate: "Name" or "Name <ORCID>"')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no per-step lines')
    .action(async (file: string, args: string[], options: CommonOptions & { outdir: string; job?: string; parallel: string; workers?: string; cache: boolean; crate: boolean; agent?: string }) => {
      const started = Date.now();
      const { parseInputArguments, readJobFile, readWorkflow, runWorkflow } = await import('@fairio/workflows');
      const { parsePerson } = await import('@fairio/provenance');
      const wf = readWorkflow(file);
      const inputs = { ...(options.job ? readJobFile(options.job) : {}), ...parseInputArguments(args) };
      const parallel = Number(options.parallel);
      if (!Number.isInteger(parallel) || parallel < 1) throw new FairioError('INVALID_ARGUMENT', `--parallel must be a whole number ≥ 1, not "${options.parallel}"`);
      if (!options.quiet && !options.json) process.stderr.write(`${wf.name}\n`);
      const result = await runWorkflow(wf, {
        workflowFile: file,
        inputs,
        outdir: options.outdir,
        parallel,
        workers: options.workers === undefined ? undefined : Number(options.workers),
        cache: options.cache,
        crate: options.crate,
        agent: options.agent ? parsePerson(options.agent) : undefined,
        onEvent: eventPrinter(Boolean(options.quiet || options.json)),
      });
      emit(runSummary(result, started), options, (r) =>
        [
          `${r.status === 'completed' ? 'done' : 'FAILED'} in ${r.seconds.toFixed(1)} s; ${count(r.steps, 'completed')} ran, ${count(r.steps, 'cached')} reused${r.steps.some((s) => s.status === 'skipped') ? `, ${count(r.steps, 'skipped')} skipped` : ''}`,
          ...Object.entries(r.outputs).map(([label, v]) => `  ${label}: ${describeValue(v)}`),
          ...(r.crate ? [`  run crate: ${path.join(r.crate, 'ro-crate-metadata.json')} (open ro-crate-preview.html)`] : []),
        ].join('\n'),
      );
      if (result.status === 'failed') throw new FairioError('INVALID_ARGUMENT', result.error ?? 'the workflow failed');
    });

  workflow
    .command('export')
    .description('write the workflow in another format: ga (Galaxy), gxwf (gxformat2 YAML), or crate (a Workflow RO-Crate .crate.zip for WorkflowHub, in the IWC layout: .ga, planemo tests and test data, README, CHANGELOG, .dockstore.yml)')
    .argument('<workflow>', 'the workflow file (.gxwf.yml or .ga); for crate, its <name>-tests.yml, README.md and CHANGELOG.md are taken from beside it')
    .addOption(new Option('--format <format>', 'what to write').choices(['ga', 'gxwf', 'crate']).makeOptionMandatory())
    .option('-o, --output <path>', 'file to write (default: <name>.ga, <name>.gxwf.yml or <name>.crate.zip here)')
    .option('--creator <person>', 'add a creator, "Name <ORCID>" (repeatable)', collect)
    .option('--release <version>', 'release version (replaces the workflow\'s)')
    .option('--license <spdx>', 'licence, an SPDX id (replaces the workflow\'s)')
    .option('--overwrite', 'replace the output if it exists')
    .option('--json', 'print what was written as JSON')
    .action(async (file: string, options: CommonOptions & { format: 'ga' | 'gxwf' | 'crate'; output?: string; creator?: string[]; release?: string; license?: string; overwrite?: boolean }) => {
      const { EXTENSIONS, exportWorkflowCrate, readWorkflow, workflowStem, writeWorkflowText } = await import('@fairio/workflows');
      const stem = workflowStem(file);
      const output = options.output ?? `${stem}${options.format === 'crate' ? '.crate.zip' : EXTENSIONS[options.format]}`;
      if (fs.existsSync(output) && !options.overwrite) throw new FairioError('OUTPUT_EXISTS', 'exists (use --overwrite to replace it)', { path: output });
      const creators = await creatorsOf(options.creator ?? []);
      const license = options.license === undefined ? undefined : checkLicense(options.license, { urls: false });
      if (options.format === 'crate') {
        const written = await exportWorkflowCrate({ workflowFile: file, output, creators, release: options.release, license, overwrite: options.overwrite });
        emit(written, options, (w) => [`wrote ${w.path} (Workflow RO-Crate 1.0):`, ...w.files.map((f) => `  ${f}`)].join('\n'));
        return;
      }
      const wf = readWorkflow(file);
      if (creators.length) wf.creators.push(...creators);
      if (options.release) wf.release = options.release;
      if (license) wf.license = license;
      fs.writeFileSync(output, writeWorkflowText(wf, options.format));
      emit({ path: output, format: options.format }, options, (w) => `wrote ${w.path} (${w.format === 'ga' ? 'Galaxy .ga' : 'gxformat2'})`);
    });

  workflow
    .command('lint')
    .description('check a workflow: every tool a fairio tool, no cycles, connected datatypes and parameters that fit, required inputs connected, plus IWC best practices (annotations, creators, licence, release); exit 1 on errors')
    .argument('<workflow>', 'the workflow file (.gxwf.yml or .ga)')
    .option('--strict', 'warnings fail too')
    .option('--skip-best-practices', 'only what would stop the workflow from running')
    .option('--json', 'print {"valid": bool, "findings": [...]}')
    .action(async (file: string, options: CommonOptions & { strict?: boolean; skipBestPractices?: boolean }) => {
      const { lintWorkflow, readWorkflow } = await import('@fairio/workflows');
      const report = lintWorkflow(readWorkflow(file), { skipBestPractices: options.skipBestPractices });
      const failed = !report.valid || (options.strict && report.findings.length > 0);
      emit({ valid: !failed, findings: report.findings }, options, (r) =>
        [`${file}: ${r.valid ? 'valid' : 'INVALID'}${r.findings.length ? '' : ', no findings'}`, ...r.findings.map((f) => `  ${f.severity === 'error' ? '✗' : '!'} [${f.code}]${f.step ? ` ${f.step}:` : ''} ${f.message}`)].join('\n'),
      );
      if (failed) process.exitCode = 1;
    });

  workflow
    .command('test')
    .description('run the workflow\'s planemo tests (<name>-tests.yml beside it) locally and check their assertions')
    .argument('<workflow>', 'the workflow file (.gxwf.yml or .ga)')
    .requiredOption('--outdir <dir>', 'folder for the test runs')
    .option('--tests <file>', 'the tests file (default: <name>-tests.yml beside the workflow)')
    .option('--json', 'print the results as JSON')
    .option('-q, --quiet', 'no per-step lines')
    .action(async (file: string, options: CommonOptions & { outdir: string; tests?: string }) => {
      const { runWorkflowTests } = await import('@fairio/workflows');
      const results = await runWorkflowTests(file, { outdir: options.outdir, testsFile: options.tests, onEvent: eventPrinter(Boolean(options.quiet || options.json)) });
      emit(
        results.map((r) => ({ doc: r.doc, passed: r.passed, failures: r.failures, outdir: r.run.outdir })),
        options,
        (rs) => rs.map((r, i) => `${r.passed ? '✓' : '✗'} test ${i + 1}${r.doc ? `: ${r.doc}` : ''}${r.failures.map((f) => `\n    ${f}`).join('')}`).join('\n'),
      );
      if (results.some((r) => !r.passed)) process.exitCode = 1;
    });
}
