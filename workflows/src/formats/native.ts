/**
 * Galaxy's native workflow format (`.ga`, JSON, `format-version` 0.1): steps
 * numbered from 0 with `type` data_input / data_collection_input /
 * parameter_input / tool, connections by step number, `tool_state` as a JSON
 * string, labelled `workflow_outputs` on the steps that make them. Written
 * as Galaxy exports it (keys sorted, four-space indents), with IWC's top-level
 * fields (`creator`, `license`, `release`), so that Galaxy imports it and
 * planemo lints it.
 */
import type { ParameterValue } from '@fairio/model-runner';
import { autoLayout } from '../graph.js';
import { INPUT_OUTPUT, type Creator, type InputStep, type Source, type Step, type ToolStep, type Workflow, type WorkflowOutput } from '../model.js';
import { defaultTools, galaxyFormState, outputDatatypeOf, type ToolRegistry } from '../tools.js';
import { canonicalKeys, checkLabels, docText, dropFormDefaults, flattenToolState, inputType, invalid, isRecord, NATIVE_PARAMETER_TYPE, nestToolState, position, sortOutputs, stringList } from './common.js';

const INPUT_TYPES = new Set(['data_input', 'data_collection_input', 'parameter_input']);

function readCreators(raw: unknown, source: string): Creator[] {
  return (Array.isArray(raw) ? raw : []).map((c, i) => {
    if (!isRecord(c) || typeof c.name !== 'string') throw invalid(source, `creator[${i}] needs a name`);
    const creator: Creator = { class: c.class === 'Organization' ? 'Organization' : 'Person', name: c.name };
    for (const key of ['identifier', 'url', 'email'] as const) if (typeof c[key] === 'string') creator[key] = c[key] as string;
    return creator;
  });
}

function connections(raw: unknown): { id: number; output: string }[] {
  return (Array.isArray(raw) ? raw : [raw]).filter(isRecord).map((c) => ({ id: Number(c.id), output: String(c.output_name ?? INPUT_OUTPUT) }));
}

function inputState(raw: unknown, source: string, where: string): Record<string, unknown> {
  if (typeof raw !== 'string') return isRecord(raw) ? raw : {};
  try {
    const state = JSON.parse(raw) as unknown;
    return isRecord(state) ? state : {};
  } catch {
    throw invalid(source, `${where}: tool_state is not JSON`);
  }
}

/** Read `.ga` JSON text; `source` names the file in errors. */
export function parseNative(text: string, source = 'workflow.ga'): Workflow {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw invalid(source, `is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(doc) || !(doc.a_galaxy_workflow === 'true' || doc.a_galaxy_workflow === true)) throw invalid(source, 'is not a Galaxy workflow (no "a_galaxy_workflow": "true")');
  if (doc['format-version'] !== undefined && doc['format-version'] !== '0.1') throw invalid(source, `has format-version ${JSON.stringify(doc['format-version'])}; fairio reads 0.1`);
  if (!isRecord(doc.steps)) throw invalid(source, 'has no steps');
  const rawSteps = Object.entries(doc.steps)
    .map(([key, s]) => {
      if (!isRecord(s)) throw invalid(source, `step ${key} is not an object`);
      const id = Number(s.id ?? key);
      if (!Number.isInteger(id)) throw invalid(source, `step ${key} has no numeric id`);
      return { id, s };
    })
    .sort((a, b) => a.id - b.id);
  // Labels first: connections name steps by number, the model by label.
  const labelOf = new Map<number, { label: string; anonymous: boolean }>();
  for (const { id, s } of rawSteps) {
    const firstInput = Array.isArray(s.inputs) && isRecord(s.inputs[0]) ? s.inputs[0].name : undefined;
    const label = typeof s.label === 'string' && s.label !== '' ? s.label : INPUT_TYPES.has(String(s.type)) && typeof firstInput === 'string' ? firstInput : undefined;
    labelOf.set(id, label === undefined ? { label: String(id), anonymous: true } : { label, anonymous: false });
  }
  const steps: Step[] = [];
  const outputs: WorkflowOutput[] = [];
  for (const { id, s } of rawSteps) {
    const { label, anonymous } = labelOf.get(id)!;
    const where = `step ${id} ("${label}")`;
    const type = String(s.type ?? 'tool');
    const common = {
      label,
      ...(anonymous ? { anonymous: true } : {}),
      ...(docText(s.annotation) ? { doc: docText(s.annotation) } : {}),
      ...(position(s.position) ? { position: position(s.position) } : {}),
      ...(typeof s.uuid === 'string' ? { uuid: s.uuid } : {}),
    };
    if (INPUT_TYPES.has(type)) {
      const state = inputState(s.tool_state, source, where);
      const step: InputStep = {
        kind: 'input',
        ...common,
        type: type === 'data_input' ? 'data' : type === 'data_collection_input' ? 'collection' : inputType(state.parameter_type ?? 'text', where, source),
      };
      if (state.optional === true) step.optional = true;
      if (state.default !== undefined && state.default !== null && ['string', 'number', 'boolean'].includes(typeof state.default)) step.default = state.default as ParameterValue;
      const format = stringList(state.format);
      if (format?.length) step.format = format;
      if (step.type === 'collection') step.collectionType = typeof state.collection_type === 'string' ? state.collection_type : 'list';
      steps.push(step);
    } else if (type === 'tool') {
      if (typeof s.tool_id !== 'string') throw invalid(source, `${where} has no tool_id`);
      const step: ToolStep = { kind: 'tool', ...common, toolId: s.tool_id, state: flattenToolState(s.tool_state ?? {}, source, where), in: {} };
      if (s.tool_version !== undefined && s.tool_version !== null) step.toolVersion = String(s.tool_version);
      for (const [name, raw] of Object.entries(isRecord(s.input_connections) ? s.input_connections : {})) {
        // Inputs inside sections and conditionals are named by their path ("model|file").
        const input = name;
        const sources: Source[] = connections(raw).map((c) => {
          const from = labelOf.get(c.id);
          if (!from) throw invalid(source, `${where}: input "${input}" is connected to step ${c.id}, which does not exist`);
          return { step: from.label, output: c.output };
        });
        if (sources.length) step.in[input] = [...(step.in[input] ?? []), ...sources];
      }
      dropFormDefaults(step, defaultTools);
      for (const action of Object.values(isRecord(s.post_job_actions) ? s.post_job_actions : {})) {
        if (isRecord(action) && action.action_type === 'HideDatasetAction' && typeof action.output_name === 'string') (step.hidden ??= []).push(action.output_name);
      }
      steps.push(step);
    } else {
      throw invalid(source, `${where}: steps of type "${type}" (subworkflows, pauses) are not supported; fairio workflows run tools`);
    }
    for (const wo of Array.isArray(s.workflow_outputs) ? s.workflow_outputs : []) {
      if (!isRecord(wo) || typeof wo.label !== 'string' || wo.label === '') continue; // unlabelled outputs are only marks in Galaxy's editor
      outputs.push({ label: wo.label, source: { step: label, output: String(wo.output_name ?? INPUT_OUTPUT) }, ...(typeof wo.uuid === 'string' ? { uuid: wo.uuid } : {}) });
    }
  }
  const workflow: Workflow = {
    name: typeof doc.name === 'string' ? doc.name : 'Unnamed workflow',
    creators: readCreators(doc.creator, source),
    tags: stringList(doc.tags) ?? [],
    steps,
    outputs,
  };
  const annotation = docText(doc.annotation);
  if (annotation) workflow.doc = annotation;
  if (doc.release !== undefined && doc.release !== null) workflow.release = String(doc.release);
  if (typeof doc.license === 'string') workflow.license = doc.license;
  if (typeof doc.uuid === 'string') workflow.uuid = doc.uuid;
  checkLabels(workflow, source);
  workflow.outputs = sortOutputs(workflow);
  return workflow;
}

/** JSON with keys sorted at every level, as Galaxy exports workflows. */
function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (isRecord(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedJson(value[k])]));
  return value;
}

function inputStepState(step: InputStep): Record<string, unknown> {
  const state: Record<string, unknown> = { optional: step.optional ?? false };
  if (step.type === 'data' || step.type === 'collection') {
    if (step.format?.length) state.format = step.format;
    if (step.type === 'collection') state.collection_type = step.collectionType ?? 'list';
    state.tag = null;
  } else {
    state.parameter_type = NATIVE_PARAMETER_TYPE[step.type];
    if (step.default !== undefined) state.default = step.default;
  }
  return state;
}

const INPUT_NAMES: Record<string, string> = { data: 'Input dataset', collection: 'Input dataset collection' };

/** `.ga` JSON text for a workflow; `tools` supplies tool names and output datatypes. */
export function writeNative(workflow: Workflow, options: { tools?: ToolRegistry } = {}): string {
  const tools = options.tools ?? defaultTools;
  const layout = autoLayout(workflow);
  const idOf = new Map(workflow.steps.map((s, i) => [s.label, i]));
  const steps: Record<string, unknown> = {};
  workflow.steps.forEach((step, id) => {
    const outputs = workflow.outputs.filter((o) => o.source.step === step.label).map((o) => ({ label: o.label, output_name: o.source.output, ...(o.uuid ? { uuid: o.uuid } : {}) }));
    const common: Record<string, unknown> = {
      annotation: step.doc ?? '',
      errors: null,
      id,
      label: step.anonymous ? null : step.label,
      position: step.position ?? layout.get(step.label),
      workflow_outputs: outputs,
      ...(step.uuid ? { uuid: step.uuid } : {}),
    };
    if (step.kind === 'input') {
      steps[String(id)] = {
        ...common,
        content_id: null,
        input_connections: {},
        inputs: [{ description: step.doc ?? '', name: step.label }],
        name: INPUT_NAMES[step.type] ?? 'Input parameter',
        outputs: [],
        tool_id: null,
        tool_state: JSON.stringify(inputStepState(step)),
        tool_version: null,
        type: step.type === 'data' ? 'data_input' : step.type === 'collection' ? 'data_collection_input' : 'parameter_input',
      };
      return;
    }
    const node = tools.find(step.toolId);
    const keys = canonicalKeys(step, tools);
    const connected = Object.fromEntries(
      Object.entries(keys.in).map(([name, sources]) => {
        const list = sources.map((s) => ({ id: idOf.get(s.step) ?? -1, output_name: s.output }));
        return [name, list.length === 1 ? list[0] : list];
      }),
    );
    // Galaxy runs a step only when its state fills the whole tool form.
    const flat: Record<string, unknown> = node ? galaxyFormState(node, keys.state, new Set(Object.keys(keys.in))) : { ...keys.state };
    for (const name of Object.keys(keys.in)) flat[name] = { __class__: 'ConnectedValue' };
    const toolState = nestToolState(flat);
    toolState.__page__ = null;
    toolState.__rerun_remap_job_id__ = null;
    steps[String(id)] = {
      ...common,
      content_id: step.toolId,
      input_connections: connected,
      inputs: [],
      name: node?.description.name ?? step.toolId,
      outputs: (node?.description.outputs ?? []).map((o) => ({ name: o.name, type: outputDatatypeOf(node!, o) })),
      post_job_actions: Object.fromEntries((step.hidden ?? []).map((name) => [`HideDatasetAction${name}`, { action_arguments: {}, action_type: 'HideDatasetAction', output_name: name }])),
      tool_id: step.toolId,
      tool_state: JSON.stringify(toolState),
      tool_version: step.toolVersion ?? null,
      type: 'tool',
    };
  });
  const doc: Record<string, unknown> = {
    a_galaxy_workflow: 'true',
    annotation: workflow.doc ?? '',
    'format-version': '0.1',
    name: workflow.name,
    steps,
    tags: workflow.tags,
  };
  if (workflow.creators.length) doc.creator = workflow.creators.map((c) => ({ class: c.class, name: c.name, ...(c.identifier ? { identifier: c.identifier } : {}), ...(c.url ? { url: c.url } : {}), ...(c.email ? { email: c.email } : {}) }));
  if (workflow.license) doc.license = workflow.license;
  if (workflow.release) doc.release = workflow.release;
  if (workflow.uuid) doc.uuid = workflow.uuid;
  return `${JSON.stringify(sortedJson(doc), null, 4)}\n`;
}
