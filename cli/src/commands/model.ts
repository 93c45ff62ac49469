/**
 * `fairio model …`: the bioimage.io commands that are not analysis nodes.
 *
 * - `fairio model validate MODEL` — JSON Schema + fairio's checks (exit 1 when invalid)
 * - `fairio model test MODEL` — the model's own test tensors under bioimageio.core's pass rule (exit 1 when failing)
 * - `fairio model package ONNX -o OUT …` / `fairio model package --demo -o OUT` — write a valid 0.5 package
 *
 * MODEL is a folder, an rdf.yaml/bioimageio.yaml, a .zip or an http(s) URL.
 */
import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { FairioError } from '@fairio/ngff/errors';
import type { bioimageio } from '@fairio/model-runner';
import { emit, type CommonOptions } from '../output.js';

function group(program: Command): Command {
  // A node with command words ['model', …] may have created the group already.
  return program.commands.find((c) => c.name() === 'model') ?? program.command('model').description('bioimage.io models: validate, test, package');
}

function findingLines(findings: bioimageio.Finding[]): string[] {
  return findings.map((f) => `  ${f.severity === 'error' ? '✗' : f.severity === 'warning' ? '!' : '·'} [${f.code}] ${f.message}`);
}

function parseJsonOption(name: string, text: string | undefined): { id: string; kwargs?: Record<string, unknown> }[] | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) throw new Error('not a list');
    return value as { id: string; kwargs?: Record<string, unknown> }[];
  } catch (error) {
    throw new FairioError('INVALID_ARGUMENT', `--${name} must be a JSON list of steps like '[{"id": "sigmoid"}]' (${(error as Error).message})`);
  }
}

const integer = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new FairioError('INVALID_ARGUMENT', `--${name} must be a whole number ≥ 0, not "${v}"`);
  return n;
};

export function registerModel(program: Command): void {
  const model = group(program);

  model
    .command('validate')
    .description('check a bioimage.io model description (0.4 or 0.5) against the published JSON Schema and fairio\'s checks: unique tensor ids, size references, halos, file paths, sha256 of every file, ONNX shapes')
    .argument('<model>', 'model folder, rdf.yaml/bioimageio.yaml, .zip or http(s) URL')
    .option('--json', 'print {"valid": bool, "findings": [...]}')
    .action(async (location: string, options: CommonOptions) => {
      const { validateModel } = (await import('@fairio/model-runner')).bioimageio;
      const report = await validateModel(location);
      emit({ valid: report.valid, name: report.name, formatVersion: report.formatVersion, description: report.descriptionPath, findings: report.findings }, options, (r) =>
        [`${r.description}: ${r.valid ? 'valid' : 'INVALID'} bioimage.io model description (format ${r.formatVersion || '?'}${r.name ? `, "${r.name}"` : ''})`, ...findingLines(r.findings)].join('\n'),
      );
      if (!report.valid) process.exitCode = 1;
    });

  model
    .command('test')
    .description("run the model's test inputs through its ONNX weights and compare with its test outputs (bioimageio.core's rule: |out−exp| ≤ atol + rtol·|exp|, at most the allowed mismatches per million)")
    .argument('<model>', 'model folder, rdf.yaml/bioimageio.yaml, .zip or http(s) URL')
    .addOption(new Option('--device <device>', 'where ONNX Runtime runs').choices(['cpu', 'cuda']).default('cpu'))
    .option('--json', 'print the result as JSON')
    .action(async (location: string, options: CommonOptions & { device: 'cpu' | 'cuda' }) => {
      const { testModel } = (await import('@fairio/model-runner')).bioimageio;
      const result = await testModel(location, { device: options.device });
      emit(result, options, (r) =>
        [
          `${r.name} (format ${r.formatVersion}, ONNX Runtime ${r.onnxRuntime}): ${r.passed ? 'PASSED' : 'FAILED'}`,
          ...r.outputs.map(
            (o) =>
              `  ${o.passed ? '✓' : '✗'} ${o.id}: ${o.shapeMismatch ?? `${o.mismatched} of ${o.count} elements mismatched (${o.mismatchedPerMillion.toFixed(1)} per million, ${o.tolerance.mismatchedPerMillion} allowed), max |difference| ${o.maxAbsDiff.toExponential(2)}`} [atol ${o.tolerance.absolute}, rtol ${o.tolerance.relative}]`,
          ),
          ...findingLines(r.findings.filter((f) => f.severity !== 'info')),
        ].join('\n'),
      );
      if (!result.passed) process.exitCode = 1;
    });

  model
    .command('package')
    .description('write a valid bioimage.io 0.5 model package (folder, or .zip) for an ONNX file, with test output computed by running it; --demo builds fairio\'s own small nucleus model')
    .argument('[onnx]', 'ONNX weights (not with --demo)')
    .requiredOption('-o, --output <path>', 'package folder, or a path ending in .zip')
    .option('--demo', "build fairio's demo nucleus model (fixed Gaussian/LoG filters) instead of packaging a file")
    .option('--name <name>', 'model name')
    .option('--description <text>', 'one or two sentences on what the model does')
    .option('--author <name...>', 'author names')
    .option('--license <spdx>', 'SPDX licence id', 'CC-BY-4.0')
    .option('--test-input <npy>', 'test input tensor (.npy) in the model axes')
    .option('--axes <letters>', 'axis letters of input and output', 'bcyx')
    .option('--halo <n>', 'output halo in pixels along y and x', integer('halo'))
    .option('--min <n>', 'smallest valid spatial size (for free ONNX dimensions)', integer('min'))
    .option('--step <n>', 'spatial size step (for free ONNX dimensions)', integer('step'))
    .option('--preprocessing <json>', 'pre-processing steps, e.g. \'[{"id": "scale_range", "kwargs": {"axes": ["y", "x"], "min_percentile": 1, "max_percentile": 99.8}}]\'')
    .option('--postprocessing <json>', 'post-processing steps, e.g. \'[{"id": "sigmoid"}]\'')
    .option('--overwrite', 'replace an existing package')
    .option('--json', 'print the written description as JSON')
    .action(async (onnx: string | undefined, options: CommonOptions & Record<string, string | string[] | boolean | number | undefined>) => {
      const { packageModel, packageDemoModel, readTestInput } = (await import('@fairio/model-runner')).bioimageio;
      const output = options.output as string;
      let written: { path: string; description: Record<string, unknown> };
      if (options.demo) {
        if (onnx) throw new FairioError('INVALID_ARGUMENT', '--demo builds its own network; leave out the ONNX file');
        written = await packageDemoModel(output, { overwrite: Boolean(options.overwrite) });
      } else {
        if (!onnx) throw new FairioError('INVALID_ARGUMENT', 'name the ONNX file to package (or use --demo)');
        if (!fs.existsSync(onnx)) throw new FairioError('NOT_FOUND', 'no such ONNX file', { path: onnx });
        for (const required of ['name', 'description', 'testInput'] as const) {
          if (!options[required]) throw new FairioError('INVALID_ARGUMENT', `--${required === 'testInput' ? 'test-input' : required} is required to package a model`);
        }
        written = await packageModel({
          onnx,
          output,
          name: options.name as string,
          description: options.description as string,
          authors: ((options.author as string[] | undefined) ?? ['unknown']).map((name) => ({ name })),
          license: options.license as string,
          testInput: readTestInput(options.testInput as string),
          axes: options.axes as string,
          halo: options.halo as number | undefined,
          min: options.min as number | undefined,
          step: options.step as number | undefined,
          preprocessing: parseJsonOption('preprocessing', options.preprocessing as string | undefined),
          postprocessing: parseJsonOption('postprocessing', options.postprocessing as string | undefined),
          overwrite: Boolean(options.overwrite),
        });
      }
      emit(written, options, (w) => `${w.path}: bioimage.io model "${String(w.description.name)}" written and validated`);
    });
}
