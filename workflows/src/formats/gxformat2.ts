/**
 * gxformat2 (`.gxwf.yml`, `class: GalaxyWorkflow`), Galaxy's YAML workflow
 * format: inputs by label, steps keyed by label with `in` sources
 * ("step/output"), `state` for set parameter values, `outputs` with
 * `outputSource`. Reads the dict and list spellings and the type aliases the
 * schema allows; writes the normalised spellings in a fixed key order, so
 * that writing what was read gives the same text.
 */
import { parse, stringify } from 'yaml';
import type { ParameterValue } from '@fairio/model-runner';
import { autoLayout } from '../graph.js';
import { defaultTools, type ToolRegistry } from '../tools.js';
import { formatSource, parseSource, type Creator, type InputStep, type Source, type Step, type ToolStep, type Workflow, type WorkflowOutput } from '../model.js';
import { canonicalKeys, checkLabels, docText, dropFormDefaults, flattenToolState, inputType, invalid, isRecord, position, sortOutputs, stringList } from './common.js';

/** Entries of a gxformat2 map-or-list field as [key, value] pairs. */
function entries(raw: unknown, source: string, field: string): [string, unknown][] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    return raw.map((item, i) => {
      if (!isRecord(item)) throw invalid(source, `${field}[${i}] must be a mapping`);
      const key = item.id ?? item.label;
      if (typeof key !== 'string' && typeof key !== 'number') throw invalid(source, `${field}[${i}] has no id or label`);
      return [String(key), item];
    });
  }
  if (!isRecord(raw)) throw invalid(source, `${field} must be a mapping or a list`);
  return Object.entries(raw);
}

function readCreators(raw: unknown, source: string): Creator[] {
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).map((c, i) => {
    if (!isRecord(c) || typeof c.name !== 'string') throw invalid(source, `creator[${i}] needs a name`);
    const creator: Creator = { class: c.class === 'Organization' ? 'Organization' : 'Person', name: c.name };
    for (const key of ['identifier', 'url', 'email'] as const) if (typeof c[key] === 'string') creator[key] = c[key] as string;
    return creator;
  });
}

function readInput(label: string, raw: unknown, source: string): InputStep {
  const where = `input "${label}"`;
  const def = isRecord(raw) ? raw : { type: raw };
  const step: InputStep = { kind: 'input', label: typeof def.label === 'string' ? def.label : label, type: inputType(def.type, where, source) };
  const doc = docText(def.doc);
  if (doc) step.doc = doc;
  if (def.optional === true) step.optional = true;
  if (def.default !== undefined && def.default !== null) {
    if (!['string', 'number', 'boolean'].includes(typeof def.default)) throw invalid(source, `${where}: default must be a number, text or true/false`);
    step.default = def.default as ParameterValue;
  }
  const format = stringList(def.format);
  if (format?.length) step.format = format;
  if (step.type === 'collection') step.collectionType = typeof def.collection_type === 'string' ? def.collection_type : 'list';
  const pos = position(def.position);
  if (pos) step.position = pos;
  if (typeof def.uuid === 'string') step.uuid = def.uuid;
  return step;
}

function readStep(key: string, raw: unknown, labels: string[], source: string): ToolStep {
  if (!isRecord(raw)) throw invalid(source, `step "${key}" must be a mapping`);
  const label = typeof raw.label === 'string' ? raw.label : key;
  const where = `step "${label}"`;
  const type = raw.type ?? 'tool';
  if (type !== 'tool') throw invalid(source, `${where}: steps of type "${String(type)}" (subworkflows, pauses) are not supported; fairio workflows run tools`);
  if (typeof raw.tool_id !== 'string') throw invalid(source, `${where} has no tool_id`);
  const step: ToolStep = { kind: 'tool', label, toolId: raw.tool_id, state: {}, in: {} };
  if (raw.tool_version !== undefined && raw.tool_version !== null) step.toolVersion = String(raw.tool_version);
  const doc = docText(raw.doc);
  if (doc) step.doc = doc;
  // tool_state (as Galaxy exports it) first, then state (as people write it) wins.
  if (raw.tool_state !== undefined) Object.assign(step.state, flattenToolState(raw.tool_state, source, where));
  if (raw.state !== undefined) Object.assign(step.state, flattenToolState(raw.state, source, where));
  for (const [name, value] of entries(raw.in, source, `${where} in`)) {
    const def = isRecord(value) ? value : { source: value };
    if (def.default !== undefined && def.source === undefined) {
      step.state[name] = def.default as ParameterValue;
      continue;
    }
    const sources = stringList(def.source) ?? [];
    if (sources.length) step.in[name] = sources.map((s) => parseSource(s, labels));
  }
  for (const [name, value] of entries(raw.out, source, `${where} out`)) {
    if (isRecord(value) && value.hide === true) (step.hidden ??= []).push(name);
  }
  dropFormDefaults(step, defaultTools);
  const pos = position(raw.position);
  if (pos) step.position = pos;
  if (typeof raw.uuid === 'string') step.uuid = raw.uuid;
  return step;
}

/** Read gxformat2 text; `source` names the file in errors. */
export function parseGxformat2(text: string, source = 'workflow.gxwf.yml'): Workflow {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw invalid(source, `is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(doc) || doc.class !== 'GalaxyWorkflow') throw invalid(source, 'is not a gxformat2 workflow (class: GalaxyWorkflow)');
  const inputs = entries(doc.inputs, source, 'inputs').map(([k, v]) => readInput(k, v, source));
  const stepEntries = entries(doc.steps, source, 'steps');
  const labels = [...inputs.map((i) => i.label), ...stepEntries.map(([k, v]) => (isRecord(v) && typeof v.label === 'string' ? v.label : k))];
  const steps: Step[] = [...inputs, ...stepEntries.map(([k, v]) => readStep(k, v, labels, source))];
  const workflow: Workflow = {
    name: typeof doc.label === 'string' ? doc.label : typeof doc.name === 'string' ? doc.name : 'Unnamed workflow',
    creators: readCreators(doc.creator, source),
    tags: stringList(doc.tags) ?? [],
    steps,
    outputs: [],
  };
  const docString = docText(doc.doc);
  if (docString) workflow.doc = docString;
  if (doc.release !== undefined) workflow.release = String(doc.release);
  if (typeof doc.license === 'string') workflow.license = doc.license;
  if (typeof doc.uuid === 'string') workflow.uuid = doc.uuid;
  for (const [label, raw] of entries(doc.outputs, source, 'outputs')) {
    const def = isRecord(raw) ? raw : { outputSource: raw };
    if (typeof def.outputSource !== 'string') throw invalid(source, `output "${label}" has no outputSource`);
    const output: WorkflowOutput = { label, source: parseSource(def.outputSource, labels) };
    const outDoc = docText(def.doc);
    if (outDoc) output.doc = outDoc;
    if (typeof def.uuid === 'string') output.uuid = def.uuid;
    workflow.outputs.push(output);
  }
  checkLabels(workflow, source);
  workflow.outputs = sortOutputs(workflow);
  return workflow;
}

function writeSource(sources: Source[], workflow: Workflow): string | string[] {
  const texts = sources.map((s) => formatSource(s, workflow));
  return texts.length === 1 ? texts[0] : texts;
}

/** Whether every step sits where `autoLayout` would put it (then positions are left out of the YAML). */
function layoutIsAutomatic(workflow: Workflow): boolean {
  const auto = autoLayout(workflow);
  return workflow.steps.every((s) => !s.position || (auto.get(s.label)?.left === s.position.left && auto.get(s.label)?.top === s.position.top));
}

/** gxformat2 text for a workflow (normalised spellings, fixed key order; `tools` gives connections and state Galaxy's form names). */
export function writeGxformat2(workflow: Workflow, options: { tools?: ToolRegistry } = {}): string {
  const withPositions = !layoutIsAutomatic(workflow);
  const out: Record<string, unknown> = { class: 'GalaxyWorkflow', label: workflow.name };
  if (workflow.doc) out.doc = workflow.doc;
  if (workflow.release) out.release = workflow.release;
  if (workflow.license) out.license = workflow.license;
  if (workflow.creators.length) out.creator = workflow.creators.map((c) => ({ class: c.class, name: c.name, ...(c.identifier ? { identifier: c.identifier } : {}), ...(c.url ? { url: c.url } : {}), ...(c.email ? { email: c.email } : {}) }));
  if (workflow.tags.length) out.tags = workflow.tags;
  if (workflow.uuid) out.uuid = workflow.uuid;
  const inputs: Record<string, unknown> = {};
  const steps: Record<string, unknown> = {};
  for (const step of workflow.steps) {
    const common = {
      ...(step.doc ? { doc: step.doc } : {}),
      ...(withPositions && step.position ? { position: { left: step.position.left, top: step.position.top } } : {}),
      ...(step.uuid ? { uuid: step.uuid } : {}),
    };
    if (step.kind === 'input') {
      inputs[step.label] = {
        type: step.type,
        ...(step.collectionType ? { collection_type: step.collectionType } : {}),
        ...(step.format?.length ? { format: step.format } : {}),
        ...(step.optional ? { optional: true } : {}),
        ...(step.default !== undefined ? { default: step.default } : {}),
        ...common,
      };
      continue;
    }
    const def: Record<string, unknown> = { tool_id: step.toolId };
    if (step.toolVersion) def.tool_version = step.toolVersion;
    Object.assign(def, common);
    const keys = canonicalKeys(step, options.tools ?? defaultTools);
    if (Object.keys(keys.in).length) def.in = Object.fromEntries(Object.entries(keys.in).map(([name, sources]) => [name, writeSource(sources, workflow)]));
    if (step.hidden?.length) def.out = Object.fromEntries(step.hidden.map((name) => [name, { hide: true }]));
    if (Object.keys(keys.state).length) def.state = keys.state;
    steps[step.label] = def;
  }
  out.inputs = inputs;
  out.outputs = Object.fromEntries(
    sortOutputs(workflow).map((o) => [o.label, { outputSource: formatSource(o.source, workflow), ...(o.doc ? { doc: o.doc } : {}), ...(o.uuid ? { uuid: o.uuid } : {}) }]),
  );
  out.steps = steps;
  return stringify(out, { lineWidth: 0, indent: 2, indentSeq: true });
}

