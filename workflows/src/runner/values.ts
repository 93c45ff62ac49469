/**
 * What flows along a workflow's connections at run time: a dataset (a file
 * or folder), a list collection (identified elements, what Galaxy maps a
 * step over), or a parameter value. Also: binding the inputs a user gives
 * (`label=path` pairs, or a planemo job file) to a workflow's input steps.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FairioError, isUrl } from '@fairio/ngff';
import type { ParameterValue } from '@fairio/model-runner';
import { inputSteps, type InputStep, type Workflow } from '../model.js';

export interface DatasetValue {
  kind: 'dataset';
  path: string;
}

export interface ListElement {
  identifier: string;
  path: string;
}

export interface ListValue {
  kind: 'list';
  elements: ListElement[];
}

export interface ParameterBinding {
  kind: 'parameter';
  value: ParameterValue;
}

export type Value = DatasetValue | ListValue | ParameterBinding;

/** One workflow input as given: a path, several paths (or identified elements) for a collection, or a parameter value. */
export type InputGiven = string | number | boolean | (string | ListElement)[];

/** Element identifier of a file in a collection: its name without the image extensions. */
export function identifierOf(file: string): string {
  return path.basename(file.replace(/[\\/]+$/, '')).replace(/\.(ome\.)?(tiff?|zarr|png|csv|json)$/i, '');
}

function parameterValue(step: InputStep, raw: string | number | boolean): ParameterValue {
  const bad = () => new FairioError('INVALID_ARGUMENT', `workflow input "${step.label}" is ${step.type === 'int' ? 'a whole number' : step.type === 'float' ? 'a number' : 'true or false'}, not ${JSON.stringify(raw)}`);
  switch (step.type) {
    case 'int':
    case 'float': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (step.type === 'int' && !Number.isInteger(n))) throw bad();
      return n;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (['true', 'yes', '1'].includes(String(raw))) return true;
      if (['false', 'no', '0'].includes(String(raw))) return false;
      throw bad();
    default:
      return String(raw);
  }
}

function checkExists(label: string, file: string): string {
  if (isUrl(file)) return file;
  if (!fs.existsSync(file)) throw new FairioError('NOT_FOUND', `workflow input "${label}" does not exist`, { path: file });
  return path.resolve(file);
}

/** Values of the workflow's input steps, defaults filled in; refuses missing, unknown and malformed inputs. */
export function bindInputs(workflow: Workflow, given: Record<string, InputGiven>): Map<string, Value | undefined> {
  const steps = inputSteps(workflow);
  const unknown = Object.keys(given).filter((k) => !steps.some((s) => s.label === k));
  if (unknown.length) throw new FairioError('INVALID_ARGUMENT', `the workflow has no input ${unknown.map((u) => `"${u}"`).join(', ')} (inputs: ${steps.map((s) => s.label).join(', ')})`);
  const values = new Map<string, Value | undefined>();
  for (const step of steps) {
    const raw = given[step.label];
    if (raw === undefined) {
      if (step.default !== undefined) values.set(step.label, { kind: 'parameter', value: parameterValue(step, step.default) });
      else if (step.optional) values.set(step.label, undefined);
      else throw new FairioError('INVALID_ARGUMENT', `workflow input "${step.label}" is required${step.doc ? ` (${step.doc.split('\n')[0]})` : ''}`);
      continue;
    }
    if (step.type === 'data') {
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length !== 1 || typeof list[0] === 'number' || typeof list[0] === 'boolean') throw new FairioError('INVALID_ARGUMENT', `workflow input "${step.label}" takes one file`);
      const item = list[0];
      values.set(step.label, { kind: 'dataset', path: checkExists(step.label, typeof item === 'string' ? item : item.path) });
    } else if (step.type === 'collection') {
      const list = Array.isArray(raw) ? raw : [raw];
      const elements = list.map((item) => {
        if (typeof item === 'number' || typeof item === 'boolean') throw new FairioError('INVALID_ARGUMENT', `workflow input "${step.label}" takes files`);
        const element = typeof item === 'string' ? { identifier: identifierOf(item), path: item } : item;
        return { identifier: element.identifier, path: checkExists(step.label, element.path) };
      });
      if (!elements.length) throw new FairioError('INVALID_ARGUMENT', `workflow input "${step.label}" is a collection with no elements`);
      const ids = new Set<string>();
      for (const e of elements) {
        if (ids.has(e.identifier)) throw new FairioError('INVALID_ARGUMENT', `workflow input "${step.label}": two elements are named "${e.identifier}"; element names must be unique`);
        ids.add(e.identifier);
      }
      values.set(step.label, { kind: 'list', elements });
    } else {
      if (Array.isArray(raw)) throw new FairioError('INVALID_ARGUMENT', `workflow input "${step.label}" takes one value`);
      values.set(step.label, { kind: 'parameter', value: parameterValue(step, raw) });
    }
  }
  return values;
}

/** `label=value` pairs from the command line; a label given twice collects values (a collection). */
export function parseInputArguments(args: string[]): Record<string, InputGiven> {
  const out: Record<string, InputGiven> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new FairioError('INVALID_ARGUMENT', `workflow inputs are given as LABEL=VALUE (e.g. image=cells.tif), not "${arg}"`);
    const label = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    const previous = out[label];
    out[label] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous as string]), value];
  }
  return out;
}

/**
 * A planemo job (the `job:` of a workflow test, or a job file): files as
 * `{class: File, path}`, collections as `{class: Collection, elements: [{identifier, path}]}`,
 * parameters as plain values; paths relative to `baseDir`.
 */
export function jobInputs(job: unknown, baseDir: string): Record<string, InputGiven> {
  if (typeof job !== 'object' || job === null || Array.isArray(job)) throw new FairioError('INVALID_ARGUMENT', 'a job must map input labels to values');
  const resolve = (p: unknown, label: string) => {
    if (typeof p !== 'string') throw new FairioError('INVALID_ARGUMENT', `job input "${label}" has no path (fairio runs local files)`);
    return path.resolve(baseDir, p);
  };
  const out: Record<string, InputGiven> = {};
  for (const [label, raw] of Object.entries(job as Record<string, unknown>)) {
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const def = raw as Record<string, unknown>;
      if (def.class === 'Collection') {
        const elements = Array.isArray(def.elements) ? def.elements : [];
        out[label] = elements.map((e, i) => {
          const el = e as Record<string, unknown>;
          return { identifier: typeof el.identifier === 'string' ? el.identifier : String(i), path: resolve(el.path ?? el.location, label) };
        });
      } else {
        out[label] = resolve(def.path ?? def.location, label);
      }
    } else if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
      out[label] = raw;
    }
  }
  return out;
}

/** Read a planemo job file (YAML or JSON). */
export function readJobFile(file: string): Record<string, InputGiven> {
  let job: unknown;
  try {
    job = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FairioError('INVALID_ARGUMENT', `cannot read the job file: ${(error as Error).message.split('\n')[0]}`, { path: file });
  }
  return jobInputs(job, path.dirname(path.resolve(file)));
}
