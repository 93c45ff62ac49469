/**
 * The job side of a fairio Galaxy tool. Galaxy writes the filled-in form as
 * JSON (`<configfiles><inputs data_style="staging_path_and_source_path">`);
 * `planJob` turns it into the argument vector of the ordinary fairio command
 * — the one a person would type — plus the input files to stage under names
 * fairio understands and the outputs to hand back to Galaxy. Values are
 * never parsed by a shell: every option is one `--name=value` argument and
 * positional paths follow `--`, so a value that starts with `-`, holds
 * quotes, `$(…)`, backticks or newlines stays one verbatim argument.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff/errors';
import { parameterLines, type DataSpec, type ParameterSpec } from '@fairio/model-runner/nodes';
import { outputExtension, stagingExtension } from './datatypes.js';
import { FAIR_SECTION, fairParameters } from './fair-options.js';
import { galaxyName, optionFlag } from './names.js';
import type { GalaxyTool } from './tool-spec.js';
import { DIRECTORY_DATATYPES, formParameters, inputSource, outputDatatype } from './tool-xml.js';

/** One dataset as Galaxy describes it with `data_style="staging_path_and_source_path"`. */
export interface GalaxyDataset {
  element_identifier?: string | string[];
  ext: string;
  source_path: string;
  staging_path?: string;
}

/** A file or folder to create before the command runs. */
export type StagingStep = { kind: 'link'; at: string; target: string } | { kind: 'text'; at: string; text: string };

export interface JobOutput {
  /** Output name in the description. */
  name: string;
  /** Where fairio writes it inside the job's folder (a file, or a folder). */
  produced: string;
  /** The Galaxy dataset's file. */
  dataset: string;
  /** For directory datatypes (ome_zarr): the dataset's extra files folder, which receives the store. */
  extraFiles?: string;
  /** A folder output delivered as a zip. */
  zip?: boolean;
  /** The command's standard output is this output. */
  stdout?: boolean;
}

export interface JobPlan {
  /** Arguments of the fairio command line, after `fairio`. */
  argv: string[];
  staging: StagingStep[];
  outputs: JobOutput[];
  /** The folder fairio writes into; its Process Run Crate is the job's crate. */
  outputDir: string;
  /** Inputs as staged (for the crate of commands that do not record their own), and parameter values. */
  inputs: { name: string; path: string }[];
  parameters: { name: string; value: string | number | boolean }[];
}

export interface JobOptions {
  /** The job's working folder (fairio's inputs/ and outputs/ are made in it). */
  workDir: string;
  /** Galaxy's output dataset paths by output name (from `--output NAME=PATH`). */
  outputs: Record<string, string>;
  /** Extra files folders of directory outputs (from `--output-dir NAME=PATH`). */
  outputDirs?: Record<string, string>;
  /** Worker threads (Galaxy's GALAXY_SLOTS). */
  workers?: number;
}

function invalid(message: string): FairioError {
  return new FairioError('INVALID_ARGUMENT', `galaxy-run: ${message}`);
}

/** A file name from a Galaxy element identifier: letters, digits, `.`, `_`, `-` only, never `..`. */
export function safeFileName(identifier: string | undefined, fallback: string): string {
  const base = (identifier ?? '').replace(/\.(ome\.)?(zarr(\.zip)?|tiff?|json|zip|ijm|txt|csv|h5|ilp|dat)$/i, '');
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(0, 100);
  return clean || fallback;
}

/**
 * The OME-Zarr store of an `ome_zarr` dataset: its extra files folder (beside the dataset file, as
 * Galaxy's object stores and Pulsar lay them out), or the one folder inside it that holds the store
 * (what Galaxy's `ZarrDirectory` calls the store root).
 */
export function omeZarrStore(sourcePath: string): string {
  const extra = sourcePath.replace(/\.dat$/, '') + '_files';
  const isStore = (dir: string) => ['zarr.json', '.zattrs', '.zgroup'].some((f) => fs.existsSync(path.join(dir, f)));
  if (!fs.existsSync(extra)) throw new FairioError('NOT_FOUND', 'the OME-Zarr dataset has no extra files folder (is it an ome_zarr dataset?)', { path: extra });
  if (isStore(extra)) return extra;
  const entries = fs.readdirSync(extra, { withFileTypes: true }).filter((e) => e.isDirectory());
  if (entries.length === 1 && isStore(path.join(extra, entries[0].name))) return path.join(extra, entries[0].name);
  throw new FairioError('INVALID_METADATA', 'holds no OME-Zarr store (no zarr.json, .zattrs or .zgroup)', { path: extra });
}

function asDatasets(value: unknown, what: string): GalaxyDataset[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v !== 'object' || v === null || typeof (v as GalaxyDataset).source_path !== 'string' || typeof (v as GalaxyDataset).ext !== 'string') {
      throw invalid(`input "${what}" is not a dataset description (source_path, ext); is data_style staging_path_and_source_path?`);
    }
    return v as GalaxyDataset;
  });
}

/** Stage one data input; returns the paths fairio gets. */
function stageData(spec: DataSpec, value: unknown, inputsDir: string, staging: StagingStep[]): string[] {
  const name = galaxyName(spec.name);
  const dir = path.join(inputsDir, name);
  let datasets: unknown = value;
  const source = inputSource(spec);
  if (source !== 'dataset') {
    const choice = (value ?? {}) as { source?: string; file?: unknown; text?: unknown; url?: unknown };
    if (choice.source === 'text') {
      if (typeof choice.text !== 'string' || choice.text === '') throw invalid(`input "${name}": no text given`);
      const at = path.join(dir, `${name}${stagingExtension('txt', spec.formats)}`);
      staging.push({ kind: 'text', at, text: choice.text });
      return [at];
    }
    if (choice.source === 'url') {
      if (typeof choice.url !== 'string' || !/^https?:\/\/\S+$/.test(choice.url)) throw invalid(`input "${name}": not an http(s) URL`);
      return [choice.url];
    }
    datasets = choice.file;
  }
  const used = new Set<string>();
  return asDatasets(datasets, name).map((d, i) => {
    const identifier = Array.isArray(d.element_identifier) ? d.element_identifier[d.element_identifier.length - 1] : d.element_identifier;
    let base = safeFileName(identifier, `${name}-${i + 1}`);
    while (used.has(base)) base = `${base}-${i + 1}`;
    used.add(base);
    const at = path.join(dir, `${base}${stagingExtension(d.ext, spec.formats)}`);
    staging.push({ kind: 'link', at, target: d.ext === 'ome_zarr' ? omeZarrStore(d.source_path) : d.source_path });
    return at;
  });
}

type Json = Record<string, unknown>;

/** One parameter's command-line arguments from its JSON value (nothing for "not set"). */
function parameterArguments(spec: ParameterSpec, value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  switch (spec.type) {
    case 'boolean': {
      const on = value === true || value === 'true';
      if (spec.default === true) return on ? [] : [`--no-${optionFlag(spec).slice(2)}`];
      return on ? [optionFlag(spec)] : [];
    }
    case 'integer':
    case 'float':
      if (typeof value !== 'number' && typeof value !== 'string') throw invalid(`parameter "${spec.name}" is not a number`);
      return [`${optionFlag(spec)}=${String(value)}`];
    default:
      if (typeof value !== 'string') throw invalid(`parameter "${spec.name}" is not text`);
      // A list from a text area: one option per line, each line verbatim (a browser may send CR LF).
      if (spec.type === 'text' && spec.lines) return parameterLines(value.replace(/\r\n/g, '\n')).map((line) => `${optionFlag(spec)}=${line}`);
      return [`${optionFlag(spec)}=${value}`];
  }
}

/** Commands that take `--workers` (nodes and convert). */
const takesWorkers = (tool: GalaxyTool) => tool.run.kind === 'node' || tool.description.id === 'convert';

/** Plan a job: argv, staging and outputs, from Galaxy's inputs JSON. */
export function planJob(tool: GalaxyTool, galaxyInputs: Json, options: JobOptions): JobPlan {
  const d = tool.description;
  const inputsDir = path.join(options.workDir, 'inputs');
  const outputDir = path.join(options.workDir, 'outputs');
  const staging: StagingStep[] = [];
  const options_: string[] = [];
  const positional: string[] = [];
  const stagedInputs: { name: string; path: string }[] = [];
  const parameters: JobPlan['parameters'] = [];

  for (const spec of d.inputs) {
    const paths = stageData(spec, galaxyInputs[galaxyName(spec.name)], inputsDir, staging);
    if (paths.length === 0 && !spec.optional) throw invalid(`input "${galaxyName(spec.name)}" is required`);
    stagedInputs.push(...paths.map((p) => ({ name: spec.name, path: p })));
    if (spec.positional) positional.push(...paths);
    else for (const p of paths) options_.push(`${optionFlag(spec)}=${p}`);
  }
  const offered = formParameters(tool);
  const known = new Set([...d.inputs.map((s) => galaxyName(s.name)), ...offered.map((p) => galaxyName(p.name)), FAIR_SECTION]);
  for (const key of Object.keys(galaxyInputs)) if (!known.has(key)) throw invalid(`unknown input "${key}" for tool ${d.id}`);
  for (const spec of offered) {
    const value = galaxyInputs[galaxyName(spec.name)];
    const args = parameterArguments(spec, value);
    options_.push(...args);
    if (args.length) parameters.push({ name: spec.name, value: value as string | number | boolean });
  }
  if (tool.fair) {
    const fair = (galaxyInputs[FAIR_SECTION] ?? {}) as Json;
    for (const spec of fairParameters) options_.push(...parameterArguments(spec, fair[galaxyName(spec.name)]));
  }

  const outputs: JobOutput[] = [];
  for (const spec of d.outputs) {
    const dataset = options.outputs[spec.name];
    if (!dataset) throw invalid(`no Galaxy path for output "${spec.name}" (--output ${spec.name}=PATH)`);
    const stdout = tool.run.kind === 'command' && tool.run.stdout === spec.name;
    const zip = Boolean(tool.outputs?.[spec.name]?.zipFolder);
    const produced = path.join(outputDir, `${spec.name}${stdout ? '.json' : zip ? '' : outputExtension(spec.formats[0])}`);
    const directory = DIRECTORY_DATATYPES.has(outputDatatype(tool, spec));
    const extraFiles = options.outputDirs?.[spec.name];
    if (directory && !extraFiles) throw invalid(`no extra files folder for output "${spec.name}" (--output-dir ${spec.name}=PATH)`);
    outputs.push({ name: spec.name, produced, dataset, ...(directory ? { extraFiles } : {}), ...(zip ? { zip } : {}), ...(stdout ? { stdout } : {}) });
    if (stdout) continue;
    if (spec.positional) positional.push(produced);
    else options_.push(`${optionFlag(spec)}=${produced}`);
  }

  const fixed = tool.run.kind === 'command' ? (tool.run.fixed ?? []) : [];
  const workers = options.workers !== undefined && takesWorkers(tool) ? [`--workers=${options.workers}`] : [];
  const argv = [...d.command, ...fixed, ...options_, ...workers, '--quiet', '--', ...positional];
  return { argv, staging, outputs, outputDir, inputs: stagedInputs, parameters };
}

/** Create the staged inputs and the (empty) outputs folder. */
export function stage(plan: JobPlan): void {
  fs.mkdirSync(plan.outputDir, { recursive: true });
  for (const step of plan.staging) {
    fs.mkdirSync(path.dirname(step.at), { recursive: true });
    if (step.kind === 'text') fs.writeFileSync(step.at, step.text);
    else fs.symlinkSync(path.resolve(step.target), step.at);
  }
}

/** Move a file or folder, copying when it crosses file systems (the job folder and the object store may differ). */
export function moveInto(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    fs.cpSync(from, to, { recursive: true });
    fs.rmSync(from, { recursive: true, force: true });
  }
}
