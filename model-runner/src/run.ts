/**
 * Running a node the same way from every front door: check the inputs and
 * parameters against the description, time the run, and return a `RunRecord`
 * — what ran, on what, with which parameters and software, producing what,
 * or what failed — that the provenance package turns into a Process Run
 * Crate. A failed run still yields its record before the error propagates.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { FairioError, isUrl } from '@fairio/ngff/basics';
import type { AnalysisNode, NodeRunContext, NodeRunResult, ParameterValue, RunPart, SoftwareUsed } from './node.js';
import { checkParameters } from './parameters.js';

const { version: fairioVersion } = createRequire(import.meta.url)('../package.json') as { version: string };

export const FAIRIO: SoftwareUsed = { name: 'fairio', version: fairioVersion, url: 'https://github.com/fairio/fairio' };

export interface RunRecord {
  node: { id: string; name: string; version: string };
  /** fairio, Node.js and every engine the node reported. */
  software: SoftwareUsed[];
  inputs: { name: string; path: string }[];
  parameters: { name: string; value: ParameterValue }[];
  outputs: { name: string; path: string }[];
  startTime: string;
  endTime: string;
  status: 'completed' | 'failed';
  error?: { code: string; message: string };
  summary?: Record<string, unknown>;
  /** A batch node's pieces (one per image), each to be recorded on its own. */
  parts?: RunPart[];
}

export interface RunRequest extends Omit<NodeRunContext, 'parameters'> {
  /** Raw parameter values (strings from a CLI or Galaxy, JSON from a workflow). */
  parameters: Record<string, unknown>;
}

export interface RunOptions {
  /** Called with the record when the run ends, failed or not (e.g. to write the crate). */
  onRecord?: (record: RunRecord) => Promise<void>;
}

function checkInputs(node: AnalysisNode, inputs: NodeRunContext['inputs']): void {
  const { id } = node.description;
  for (const spec of node.description.inputs) {
    const value = inputs[spec.name];
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (values.length === 0 && !spec.optional) throw new FairioError('INVALID_ARGUMENT', `${id}: input "${spec.name}" (${spec.label}) is required`);
    if (values.length > 1 && !spec.multiple) throw new FairioError('INVALID_ARGUMENT', `${id}: input "${spec.name}" takes one value, not ${values.length}`);
    for (const v of values) {
      if (!isUrl(v) && !fs.existsSync(v)) throw new FairioError('NOT_FOUND', `input "${spec.name}" does not exist`, { path: v });
    }
  }
  const unknown = Object.keys(inputs).filter((k) => !node.description.inputs.some((s) => s.name === k));
  if (unknown.length) throw new FairioError('INVALID_ARGUMENT', `${id}: unknown input ${unknown.join(', ')}`);
}

const flatten = (entries: Record<string, string | string[] | undefined>) =>
  Object.entries(entries).flatMap(([name, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((path) => ({ name, path }))));

/** Check, run and record one node invocation. */
export async function runNode(node: AnalysisNode, request: RunRequest, options: RunOptions = {}): Promise<{ result: NodeRunResult; record: RunRecord }> {
  const startTime = new Date().toISOString();
  const record: RunRecord = {
    node: { id: node.description.id, name: node.description.name, version: node.description.version },
    software: [FAIRIO, { name: 'Node.js', version: process.versions.node, url: 'https://nodejs.org' }],
    inputs: flatten(request.inputs),
    parameters: [],
    outputs: [],
    startTime,
    endTime: startTime,
    status: 'failed',
  };
  try {
    checkInputs(node, request.inputs);
    const parameters = checkParameters(node.description, request.parameters);
    record.parameters = Object.entries(parameters).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }]));
    const result = await node.run({ ...request, parameters });
    record.status = 'completed';
    record.outputs = flatten(result.outputs);
    record.software.push(...(result.software ?? []));
    record.summary = result.summary;
    if (result.parts?.length) record.parts = result.parts;
    return { result, record };
  } catch (error) {
    record.error = { code: error instanceof FairioError ? error.code : 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
    throw error;
  } finally {
    record.endTime = new Date().toISOString();
    await options.onRecord?.(record);
  }
}
