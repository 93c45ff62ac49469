/**
 * Workflow lint as a list of small named checks, one concern each (as
 * Galaxy's tool linters are organised). Each reports findings with a stable
 * code and the step it is about, so the CLI can print them and tests can
 * assert on them. Errors make a workflow unrunnable; warnings are IWC's best
 * practices.
 */
import { checkParameter, FAIRIO, type AnalysisNode, type DataFormat, type DataSpec, type ParameterSpec } from '@fairio/model-runner';
import { topologicalOrder } from '../graph.js';
import { INPUT_OUTPUT, isInput, isTool, stepByLabel, type InputStep, type Source, type Step, type ToolStep, type Workflow } from '../model.js';
import { galaxyName } from '@fairio/galaxy-tools';
import { formatsOfDatatype, galaxyInputKey, GALAXY_TOOL_VERSION, resolveKey, type ToolRegistry } from '../tools.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  code: string;
  /** Label of the step the finding is about. */
  step?: string;
  message: string;
}

export interface LintContext {
  workflow: Workflow;
  tools: ToolRegistry;
  /** The node behind each tool step (undefined for unknown tools). */
  node(step: ToolStep): AnalysisNode | undefined;
}

export interface WorkflowCheck {
  name: string;
  run(context: LintContext): Finding[];
}

const error = (code: string, message: string, step?: string): Finding => ({ severity: 'error', code, message, ...(step !== undefined ? { step } : {}) });
const warning = (code: string, message: string, step?: string): Finding => ({ severity: 'warning', code, message, ...(step !== undefined ? { step } : {}) });

/** What flows out of a source: data (with the fairio formats it may hold; undefined = any) or a parameter of some type. */
type Flow = { kind: 'data'; formats?: DataFormat[]; collection: boolean } | { kind: 'parameter'; type: InputStep['type'] } | undefined;

function flowOf(context: LintContext, source: Source): Flow {
  const step = stepByLabel(context.workflow, source.step);
  if (!step) return undefined;
  if (isInput(step)) {
    if (source.output !== INPUT_OUTPUT) return undefined;
    if (step.type === 'data' || step.type === 'collection') {
      const formats = step.format?.length ? [...new Set(step.format.flatMap(formatsOfDatatype))] : undefined;
      return { kind: 'data', formats, collection: step.type === 'collection' };
    }
    return { kind: 'parameter', type: step.type };
  }
  const spec = context.node(step)?.description.outputs.find((o) => o.name === source.output);
  return spec ? { kind: 'data', formats: spec.formats, collection: false } : undefined;
}

const describeSource = (s: Source) => (s.output === INPUT_OUTPUT ? `"${s.step}"` : `"${s.step}/${s.output}"`);

function parameterAccepts(spec: ParameterSpec, type: InputStep['type']): boolean {
  switch (spec.type) {
    case 'integer':
      return type === 'int';
    case 'float':
      return type === 'int' || type === 'float';
    case 'boolean':
      return type === 'boolean';
    case 'text':
    case 'choice':
      return type === 'string';
  }
}

const tools = (context: LintContext) => context.workflow.steps.filter(isTool);

/** Tool steps with the node behind them (unknown tools are the tools check's finding). */
const knownTools = (context: LintContext) =>
  tools(context).flatMap((step) => {
    const node = context.node(step);
    return node ? [{ step, node, description: node.description }] : [];
  });

/** A tool's parameters as its Galaxy form names them, for messages. */
const parameterNames = (d: AnalysisNode['description']) => d.parameters.map((p) => galaxyName(p.name)).join(', ') || 'none';

export const CHECKS: WorkflowCheck[] = [
  {
    name: 'steps',
    run: ({ workflow }) => (workflow.steps.some(isTool) ? [] : [error('no-steps', 'the workflow has no tool steps')]),
  },
  {
    name: 'tools',
    run: (context) =>
      tools(context).flatMap((step) => {
        const node = context.node(step);
        if (!node) {
          const known = context.tools.nodes.map((n) => context.tools.toolId(n)).join(', ');
          return [error('unknown-tool', `step "${step.label}": tool "${step.toolId}" is not a fairio tool (known: ${known})`, step.label)];
        }
        if (step.toolVersion && ![GALAXY_TOOL_VERSION, FAIRIO.version, node.description.version].includes(step.toolVersion)) {
          return [warning('tool-version', `step "${step.label}": the workflow asks for ${step.toolId} ${step.toolVersion}; this fairio's tool is ${GALAXY_TOOL_VERSION}`, step.label)];
        }
        return [];
      }),
  },
  {
    name: 'sources',
    run: (context) => {
      const findings: Finding[] = [];
      for (const step of tools(context)) {
        for (const [input, sources] of Object.entries(step.in)) {
          for (const source of sources) {
            const from = stepByLabel(context.workflow, source.step);
            if (!from) findings.push(error('dangling-source', `step "${step.label}": input "${input}" is connected to step "${source.step}", which does not exist`, step.label));
            else if (isTool(from) && context.node(from) && !context.node(from)!.description.outputs.some((o) => o.name === source.output)) {
              const names = context.node(from)!.description.outputs.map((o) => o.name).join(', ');
              findings.push(error('dangling-source', `step "${step.label}": input "${input}" reads output "${source.output}" of step "${source.step}", which has outputs ${names}`, step.label));
            } else if (isInput(from) && source.output !== INPUT_OUTPUT) {
              findings.push(error('dangling-source', `step "${step.label}": input "${input}" reads "${source.output}" of input "${source.step}", which has one output`, step.label));
            }
          }
        }
      }
      return findings;
    },
  },
  {
    name: 'cycles',
    run: ({ workflow }) => topologicalOrder(workflow).cycles.map((cycle) => error('cycle', `steps ${[...cycle, cycle[0]].map((c) => `"${c}"`).join(' → ')} form a cycle: each waits for the other`, cycle[0])),
  },
  {
    name: 'connections',
    run: (context) => {
      const findings: Finding[] = [];
      for (const { step, node, description: d } of knownTools(context)) {
        const connected = new Set<string>();
        for (const [name, sources] of Object.entries(step.in)) {
          const resolved = resolveKey(node, name);
          if (!resolved || resolved.kind === 'galaxy') {
            findings.push(error('unknown-input', `step "${step.label}": ${d.id} has no input "${name}" (inputs: ${d.inputs.map(galaxyInputKey).join(', ') || 'none'}; parameters: ${parameterNames(d)})`, step.label));
            continue;
          }
          const dataSpec: DataSpec | undefined = resolved.kind === 'input' ? resolved.spec : undefined;
          const paramSpec: ParameterSpec | undefined = resolved.kind === 'parameter' ? resolved.spec : undefined;
          if (dataSpec) connected.add(dataSpec.name);
          if (sources.length > 1 && !dataSpec?.multiple) findings.push(error('multiple-sources', `step "${step.label}": input "${name}" takes one value but ${sources.length} are connected`, step.label));
          for (const source of sources) {
            const flow = flowOf(context, source);
            if (!flow) continue; // reported by the sources check
            if (dataSpec) {
              if (flow.kind === 'parameter') {
                findings.push(error('datatype-mismatch', `step "${step.label}": input "${name}" needs data (${dataSpec.formats.join(', ')}) but ${describeSource(source)} is a ${flow.type} parameter`, step.label));
              } else if (flow.formats && !flow.formats.some((f) => dataSpec.formats.includes(f))) {
                findings.push(error('datatype-mismatch', `step "${step.label}": input "${name}" takes ${dataSpec.formats.join(' or ')}, but ${describeSource(source)} gives ${flow.formats.join(' or ') || 'a datatype fairio does not read'}`, step.label));
              }
            } else if (paramSpec) {
              if (flow.kind === 'data') findings.push(error('datatype-mismatch', `step "${step.label}": parameter "${name}" (${paramSpec.type}) is connected to data from ${describeSource(source)}`, step.label));
              else if (!parameterAccepts(paramSpec, flow.type)) findings.push(error('datatype-mismatch', `step "${step.label}": parameter "${name}" is ${paramSpec.type === 'choice' ? 'a choice' : `a ${paramSpec.type}`}, but ${describeSource(source)} is a ${flow.type} parameter`, step.label));
            }
          }
        }
        for (const spec of d.inputs) {
          if (!spec.optional && !connected.has(spec.name)) findings.push(error('missing-input', `step "${step.label}": required input "${galaxyInputKey(spec)}" (${spec.label}) is not connected`, step.label));
        }
      }
      return findings;
    },
  },
  {
    name: 'parameters',
    run: (context) => {
      const findings: Finding[] = [];
      for (const { step, node, description: d } of knownTools(context)) {
        const given = new Set<string>();
        for (const [name, value] of Object.entries(step.state)) {
          const resolved = resolveKey(node, name);
          if (resolved?.kind === 'galaxy' || resolved?.kind === 'input') continue; // Galaxy's own form fields; data set in state is Galaxy's runtime marker
          if (!resolved) {
            findings.push(error('unknown-parameter', `step "${step.label}": ${d.id} has no parameter "${name}" (parameters: ${parameterNames(d)})`, step.label));
            continue;
          }
          given.add(resolved.spec.name);
          try {
            checkParameter(d, resolved.spec, value);
          } catch (e) {
            findings.push(error('invalid-parameter', `step "${step.label}": ${(e as Error).message}`, step.label));
          }
        }
        for (const name of Object.keys(step.in)) {
          const resolved = resolveKey(node, name);
          if (resolved?.kind === 'parameter') given.add(resolved.spec.name);
        }
        for (const spec of d.parameters) {
          if (spec.optional || spec.default !== undefined || given.has(spec.name)) continue;
          findings.push(error('missing-parameter', `step "${step.label}": parameter "${galaxyName(spec.name)}" (${spec.label}) needs a value`, step.label));
        }
      }
      return findings;
    },
  },
  {
    name: 'collections',
    run: ({ workflow }) =>
      workflow.steps
        .filter((s): s is InputStep => isInput(s) && s.type === 'collection' && (s.collectionType ?? 'list') !== 'list')
        .map((s) => error('collection-type', `input "${s.label}" is a ${s.collectionType} collection; fairio maps over lists of images only`, s.label)),
  },
  {
    name: 'outputs',
    run: (context) => {
      const { workflow } = context;
      const findings: Finding[] = [];
      const seen = new Set<string>();
      for (const output of workflow.outputs) {
        if (seen.has(output.label)) findings.push(error('duplicate-output', `two workflow outputs are labelled "${output.label}"`, output.source.step));
        seen.add(output.label);
        const from = stepByLabel(workflow, output.source.step);
        const node = from && isTool(from) ? context.node(from) : undefined;
        if (!from) findings.push(error('output-source', `workflow output "${output.label}" comes from step "${output.source.step}", which does not exist`));
        else if (node && !node.description.outputs.some((o) => o.name === output.source.output)) {
          findings.push(error('output-source', `workflow output "${output.label}" reads "${output.source.output}" of step "${from.label}", which has outputs ${node.description.outputs.map((o) => o.name).join(', ')}`, from.label));
        }
      }
      if (!workflow.outputs.length) findings.push(warning('no-outputs', 'the workflow labels no outputs (Galaxy, planemo tests and the run crate name only labelled outputs)'));
      return findings;
    },
  },
  {
    name: 'unused inputs',
    run: ({ workflow }) => {
      const used = new Set(workflow.steps.filter(isTool).flatMap((s) => Object.values(s.in).flat().map((src) => src.step)));
      for (const o of workflow.outputs) used.add(o.source.step);
      return workflow.steps.filter((s) => isInput(s) && !used.has(s.label)).map((s) => warning('unused-input', `input "${s.label}" is connected to nothing`, s.label));
    },
  },
  {
    name: 'best practices',
    run: ({ workflow }) => {
      const findings: Finding[] = [];
      if (!workflow.doc?.trim()) findings.push(warning('no-annotation', 'the workflow has no annotation (doc): say what it does and for which data'));
      if (!workflow.creators.length) findings.push(warning('no-creator', 'the workflow names no creator'));
      for (const c of workflow.creators) {
        if (c.class === 'Person' && c.identifier && !/^[a-z]+:\/\//i.test(c.identifier)) findings.push(warning('creator-identifier', `creator "${c.name}": identifier "${c.identifier}" should be a URL such as https://orcid.org/0000-0002-1825-0097`));
      }
      if (!workflow.license) findings.push(warning('no-license', 'the workflow declares no licence (an SPDX id such as MIT)'));
      if (!workflow.release) findings.push(warning('no-release', 'the workflow has no release version (IWC requires one, matching the CHANGELOG)'));
      for (const step of workflow.steps as Step[]) {
        if (step.anonymous) findings.push(warning('step-no-label', `step ${step.label} has no label`, step.label));
        if (!step.doc?.trim()) findings.push(warning('step-no-annotation', `step "${step.label}" has no annotation (doc)`, step.label));
      }
      return findings;
    },
  },
];
