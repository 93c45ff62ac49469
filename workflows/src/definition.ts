/**
 * A workflow as provenance describes it (`WorkflowDefinition`): its inputs
 * and outputs as formal parameters, each tool step with the fairio command
 * it runs and that command's inputs, parameters and outputs, and the wiring
 * as parameter connections. Shared by run crates and the WorkflowHub export.
 */
import { FAIRIO_URL, GALAXY, fairioSoftware, nodeSoftware, type Agent, type ParameterType, type Software, type WorkflowDefinition, type WorkflowParameter } from '@fairio/provenance';
import type { AnalysisNode, DataSpec, ParameterSpec } from '@fairio/model-runner';
import { INPUT_OUTPUT, isInput, isTool, stepByLabel, type Creator, type InputStep, type Workflow } from './model.js';
import { slug } from './runner/jobs.js';
import { resolveKey, type ToolRegistry } from './tools.js';

const NGFF = 'https://ngff.openmicroscopy.org/';

/** How values of a node input or output are recorded: OME-Zarr as folders (Dataset), everything else as files, one per value. */
function dataType(spec: DataSpec): ParameterType {
  return spec.formats.length === 1 && spec.formats[0] === 'ome-zarr' ? 'Dataset' : 'File';
}

function parameterType(spec: ParameterSpec): ParameterType {
  return spec.type === 'integer' ? 'Integer' : spec.type === 'float' ? 'Float' : spec.type === 'boolean' ? 'Boolean' : 'Text';
}

// A collection's elements are recorded one by one, as files.
const INPUT_TYPES: Record<InputStep['type'], ParameterType> = { data: 'File', collection: 'File', int: 'Integer', float: 'Float', boolean: 'Boolean', string: 'Text' };

export function agentsOf(creators: Creator[]): Agent[] {
  return creators.map((c) => {
    if (c.class === 'Organization') return { type: 'Organization' as const, name: c.name, ...(c.url ? { url: c.url } : {}) };
    const orcid = c.identifier?.match(/\d{4}-\d{4}-\d{4}-\d{3}[\dX]/)?.[0];
    return { name: c.name, ...(orcid ? { orcid } : {}), ...(c.email ? { email: c.email.replace(/^mailto:/, '') } : {}) };
  });
}

/** The fairio command a node is, as software (one `@id` per command and fairio version). */
export function toolSoftware(node: AnalysisNode, engines: Software[] = []): Software {
  const software = fairioSoftware({ command: node.description.command.join(' '), engines });
  return { ...software, requires: [nodeSoftware(), ...engines] };
}

/**
 * `WorkflowDefinition` of a workflow whose file (inside the crate) is `file`.
 * `used` (per step label, the inputs and parameters a run gave values) keeps
 * a run crate's tool descriptions to what that run instantiated.
 */
export function workflowDefinition(workflow: Workflow, tools: ToolRegistry, options: { file?: string; engines?: Map<string, Software[]>; used?: Map<string, Set<string>> } = {}): WorkflowDefinition {
  const toolSteps = workflow.steps.filter(isTool);
  const mapped = new Set<string>();
  // Steps that map over a list make lists: follow collections through single-dataset inputs.
  for (const step of toolSteps) {
    const node = tools.find(step.toolId);
    for (const [name, sources] of Object.entries(step.in)) {
      const resolved = node ? resolveKey(node, name) : undefined;
      const spec = resolved?.kind === 'input' ? resolved.spec : undefined;
      if (!spec || spec.multiple) continue;
      if (sources.some((s) => mapped.has(s.step) || (stepByLabel(workflow, s.step) as InputStep | undefined)?.type === 'collection')) mapped.add(step.label);
    }
  }
  const definition: WorkflowDefinition = {
    ...(options.file ? { file: options.file } : {}),
    name: workflow.name,
    ...(workflow.doc ? { description: workflow.doc } : {}),
    ...(workflow.release ? { version: workflow.release } : {}),
    ...(workflow.license ? { license: workflow.license } : {}),
    ...(workflow.creators.length ? { creators: agentsOf(workflow.creators) } : {}),
    language: GALAXY,
    inputs: workflow.steps.filter(isInput).map((s) => {
      const p: WorkflowParameter = { id: slug(s.label), name: s.label, type: INPUT_TYPES[s.type], required: !s.optional && s.default === undefined };
      if (s.doc) p.description = s.doc;
      if (s.default !== undefined) p.defaultValue = s.default;
      return p;
    }),
    outputs: workflow.outputs.map((o) => {
      const from = stepByLabel(workflow, o.source.step);
      const spec = from && isTool(from) ? tools.find(from.toolId)?.description.outputs.find((x) => x.name === o.source.output) : undefined;
      // A mapped step's output is recorded as the folder holding its elements.
      const type: ParameterType = mapped.has(o.source.step) ? 'Dataset' : spec ? dataType(spec) : 'File';
      return { id: slug(o.label), name: o.label, type, ...(o.doc ? { description: o.doc } : {}), ...(spec?.formats.length === 1 && spec.formats[0] === 'ome-zarr' ? { encodingFormat: NGFF } : {}) };
    }),
    steps: toolSteps.map((step, position) => {
      const node = tools.find(step.toolId);
      const tool = node
        ? {
            ...toolSoftware(node, options.engines?.get(step.label)),
            inputs: [
              ...node.description.inputs.map((i) => ({ id: i.name, name: i.label, type: dataType(i), description: i.help, required: !i.optional })),
              ...node.description.parameters.map((p) => ({ id: p.name, name: p.label, type: parameterType(p), description: p.help, required: !p.optional && p.default === undefined, ...(p.default !== undefined ? { defaultValue: p.default } : {}) })),
            ].filter((p) => !options.used?.has(step.label) || options.used.get(step.label)!.has(p.id)),
            outputs: node.description.outputs.map((o) => ({ id: o.name, name: o.label, type: dataType(o), description: o.help })),
          }
        : { name: step.toolId, version: step.toolVersion ?? 'unknown', url: FAIRIO_URL, inputs: [], outputs: [] };
      return { id: slug(step.label), name: step.label, position, tool };
    }),
    connections: [
      ...toolSteps.flatMap((step) => {
        const node = tools.find(step.toolId);
        return Object.entries(step.in).flatMap(([name, sources]) => {
          const resolved = node ? resolveKey(node, name) : undefined;
          const parameter = resolved && resolved.kind !== 'galaxy' ? resolved.spec.name : name;
          return sources.map((s) => {
            const from = stepByLabel(workflow, s.step);
            return {
              source: from && isInput(from) && s.output === INPUT_OUTPUT ? { parameter: slug(s.step) } : { step: slug(s.step), parameter: s.output },
              target: { step: slug(step.label), parameter },
            };
          });
        });
      }),
      ...workflow.outputs.map((o) => {
        const from = stepByLabel(workflow, o.source.step);
        return { source: from && isInput(from) ? { parameter: slug(o.source.step) } : { step: slug(o.source.step), parameter: o.source.output }, target: { parameter: slug(o.label) } };
      }),
    ],
  };
  return definition;
}
