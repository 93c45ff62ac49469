/**
 * What the two file formats share: spellings of input types, reading tool
 * state (flat values, or Galaxy's nested conditionals/sections and
 * JSON-encoded strings), and the checks that make a bad file fail with the
 * file and the place named.
 */
import { FairioError } from '@fairio/ngff';
import type { ParameterValue } from '@fairio/model-runner';
import type { InputType, Position, Source, ToolStep, Workflow, WorkflowOutput } from '../model.js';
import { galaxyDefault, resolveKey, type ToolRegistry } from '../tools.js';

export function invalid(source: string, message: string): FairioError {
  return new FairioError('INVALID_METADATA', message, { path: source });
}

const TYPE_ALIASES: Record<string, InputType> = {
  data: 'data',
  File: 'data',
  data_input: 'data',
  collection: 'collection',
  data_collection: 'collection',
  data_collection_input: 'collection',
  int: 'int',
  integer: 'int',
  long: 'int',
  float: 'float',
  double: 'float',
  boolean: 'boolean',
  string: 'string',
  text: 'string',
};

export function inputType(raw: unknown, where: string, source: string): InputType {
  const type = TYPE_ALIASES[String(raw ?? 'data')];
  if (!type) throw invalid(source, `${where}: input type "${String(raw)}" is not one fairio workflows support (data, collection, int, float, boolean, string)`);
  return type;
}

/** Native Galaxy's `parameter_type` for a parameter input. */
export const NATIVE_PARAMETER_TYPE: Partial<Record<InputType, string>> = { int: 'integer', float: 'float', boolean: 'boolean', string: 'text' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value Galaxy wrote into tool state: plain, or (older exports) a JSON-encoded string. */
function stateValue(raw: unknown): ParameterValue | undefined | 'skip' {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    if (raw.startsWith('{') || raw.startsWith('"')) {
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (isRecord(parsed)) return 'skip'; // {"__class__": "RuntimeValue"} and the like
        if (typeof parsed === 'string' || typeof parsed === 'number' || typeof parsed === 'boolean') return parsed;
      } catch {
        // an ordinary string that happens to start with { or "
      }
    }
    return raw;
  }
  return 'skip';
}

/**
 * Flat parameter values from Galaxy tool state: Galaxy's own bookkeeping
 * (`__page__`, `__current_case__`, connected/runtime markers) dropped, and
 * values inside conditionals and sections named by their path
 * (`model|source`), as Galaxy names them in connections.
 */
export function flattenToolState(raw: unknown, source: string, where: string): Record<string, ParameterValue> {
  let state = raw;
  if (typeof raw === 'string') {
    try {
      state = JSON.parse(raw) as unknown;
    } catch {
      throw invalid(source, `${where}: tool_state is not JSON`);
    }
  }
  const out: Record<string, ParameterValue> = {};
  const visit = (value: unknown, prefix: string) => {
    if (!isRecord(value)) return;
    if ('__class__' in value) return;
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith('__')) continue;
      if (isRecord(v) && !('__class__' in v)) {
        visit(v, `${prefix}${key}|`);
        continue;
      }
      const parsed = stateValue(v);
      if (parsed !== undefined && parsed !== 'skip') out[`${prefix}${key}`] = parsed;
    }
  };
  visit(state, '');
  return out;
}

export function position(raw: unknown): Position | undefined {
  if (!isRecord(raw)) return undefined;
  const left = Number(raw.left);
  const top = Number(raw.top);
  return Number.isFinite(left) && Number.isFinite(top) ? { left, top } : undefined;
}

export function docText(raw: unknown): string | undefined {
  if (Array.isArray(raw)) return raw.map(String).join('\n');
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

export function stringList(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

export { isRecord };

/** Workflow outputs in step order (both formats list them so, which keeps conversions stable). */
export function sortOutputs(workflow: Workflow): WorkflowOutput[] {
  const index = new Map(workflow.steps.map((s, i) => [s.label, i]));
  return workflow.outputs
    .map((o, i) => ({ o, i }))
    .sort((a, b) => (index.get(a.o.source.step) ?? Infinity) - (index.get(b.o.source.step) ?? Infinity) || a.i - b.i)
    .map(({ o }) => o);
}

/** Labels must be unique: gxformat2 keys steps by them, and sources name them. */
export function checkLabels(workflow: Workflow, source: string): void {
  const seen = new Set<string>();
  for (const step of workflow.steps) {
    if (seen.has(step.label)) throw invalid(source, `two steps are labelled "${step.label}"; labels must be unique`);
    seen.add(step.label);
  }
}

/** Galaxy tool state (nested conditionals and sections) from flat `a|b` keys. */
export function nestToolState(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('|');
    let target = out;
    for (const part of parts.slice(0, -1)) target = (target[part] = isRecord(target[part]) ? target[part] : {}) as Record<string, unknown>;
    target[parts[parts.length - 1]] = value;
  }
  return out;
}

/** A step's connections and state, in name order, under Galaxy's names for its tool's form (`class_names`, `model|file`), when the tool is known. */
export function canonicalKeys(step: ToolStep, tools?: ToolRegistry): { in: Record<string, Source[]>; state: Record<string, ParameterValue> } {
  const node = tools?.find(step.toolId);
  const rename = (key: string) => (node ? (resolveKey(node, key)?.key ?? key) : key);
  const connections: Record<string, Source[]> = {};
  for (const [key, sources] of Object.entries(step.in)) connections[rename(key)] = [...(connections[rename(key)] ?? []), ...sources];
  const state = Object.fromEntries(Object.entries(step.state).map(([key, value]) => [rename(key), value]));
  // Name order: the same text whichever order a file listed them in.
  const sorted = <T>(record: Record<string, T>) => Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
  return { in: sorted(connections), state: sorted(state) };
}

/** Drop `x|source: dataset` where `x|file` is connected: the selector says nothing the connection does not (writers of .ga put it back). */
export function dropImpliedSelectors(step: ToolStep): void {
  for (const key of Object.keys(step.in)) {
    if (!key.endsWith('|file')) continue;
    const selector = `${key.slice(0, -'|file'.length)}|source`;
    if (step.state[selector] === 'dataset') delete step.state[selector];
  }
}

/**
 * Leave out what a file states only because Galaxy writes every field of a
 * tool's form: values equal to the field's default, empty FAIR metadata,
 * `x|source: dataset` where `x|file` is connected. What remains is what the
 * workflow's author chose, the same whichever format it was read from.
 */
export function dropFormDefaults(step: ToolStep, tools: ToolRegistry): void {
  dropImpliedSelectors(step);
  const node = tools.find(step.toolId);
  if (!node) return;
  for (const [key, value] of Object.entries(step.state)) {
    const resolved = resolveKey(node, key);
    if (resolved?.kind === 'galaxy' && (value === '' || value === null)) delete step.state[key];
    if (resolved?.kind === 'parameter') {
      const fallback = galaxyDefault(resolved.spec);
      if (value === '' || (fallback !== null && String(fallback) === String(value))) delete step.state[key];
    }
  }
}
