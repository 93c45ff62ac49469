/**
 * Workflows in crates: the workflow as a `ComputationalWorkflow` (also a
 * `HowTo` whose `HowToStep`s name the tool they run via `workExample`), its
 * inputs and outputs and those of its tools as `FormalParameter`s with an
 * `additionalType`, and `ParameterConnection`s for the wiring. Shared by
 * Workflow Run / Provenance Run Crates and the Workflow RO-Crate export.
 */
import type { CrateBuilder, Entity, Ref } from './builder.js';
import { ref } from './builder.js';
import { addAgent, type Agent } from './agents.js';
import { addSoftware, softwareId, type Software } from './software.js';
import { BIOSCHEMAS_WORKFLOW_PROFILE, GALAXY_LANGUAGE_ID } from './vocabulary.js';

/** How a parameter's values are typed, as Workflow Run Crate spells it. */
export type ParameterType = 'File' | 'Dataset' | 'Collection' | 'Text' | 'Integer' | 'Float' | 'Boolean' | 'DateTime' | 'PropertyValue';

export interface WorkflowParameter {
  /** Unique within its workflow or tool (e.g. "input_image"). */
  id: string;
  name?: string;
  type: ParameterType;
  description?: string;
  required?: boolean;
  defaultValue?: string | number | boolean;
  /** Format of File parameters (MIME type or the OME-NGFF URL). */
  encodingFormat?: string;
}

export interface WorkflowTool extends Software {
  inputs: WorkflowParameter[];
  outputs: WorkflowParameter[];
  /** The tool is this code (a notebook cell…), written as a `SoftwareSourceCode` rather than a `SoftwareApplication`. */
  code?: { text: string; sha256: string; programmingLanguage?: string };
}

export interface WorkflowStep {
  /** Unique within the workflow (e.g. "threshold"). */
  id: string;
  name?: string;
  /** 0-based order of execution (Galaxy's step index). */
  position: number;
  tool: WorkflowTool;
}

/** Where a value flows: a workflow parameter (no `step`) or a step's tool parameter. */
export interface ParameterEnd {
  step?: string;
  parameter: string;
}

export interface ComputerLanguage {
  id: string;
  name: string;
  url: string;
  version?: string;
}

export const GALAXY: ComputerLanguage = { id: GALAXY_LANGUAGE_ID, name: 'Galaxy', url: 'https://galaxyproject.org/' };

export interface WorkflowDefinition {
  /** Path of the workflow file inside the crate (e.g. "segment.gxwf.yml"); without it the workflow is a contextual entity. */
  file?: string;
  /** Where the workflow is published (WorkflowHub, a repository). */
  url?: string;
  name: string;
  description?: string;
  version?: string;
  license?: string;
  creators?: Agent[];
  language?: ComputerLanguage;
  inputs: WorkflowParameter[];
  outputs: WorkflowParameter[];
  steps: WorkflowStep[];
  connections?: { source: ParameterEnd; target: ParameterEnd }[];
}

export function workflowId(workflow: WorkflowDefinition): string {
  return workflow.file ? encodeURI(workflow.file) : '#workflow';
}

/** `@id` of a FormalParameter of the workflow (no step) or of a step's tool. */
export function formalParameterId(workflow: WorkflowDefinition, end: ParameterEnd, direction: 'input' | 'output'): string {
  const slug = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_');
  const base = workflow.file ? workflowId(workflow) : '';
  return end.step ? `${base}#${slug(end.step)}/${direction}/${slug(end.parameter)}` : `${base}#main/${direction}/${slug(end.parameter)}`;
}

export function stepId(workflow: WorkflowDefinition, step: string): string {
  return `${workflow.file ? workflowId(workflow) : ''}#step/${step.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
}

function addParameters(builder: CrateBuilder, workflow: WorkflowDefinition, params: WorkflowParameter[], direction: 'input' | 'output', step?: string): Ref[] {
  return params.map((p) => {
    const id = formalParameterId(workflow, { step, parameter: p.id }, direction);
    const entity: Entity = { '@id': id, '@type': 'FormalParameter', name: p.name ?? p.id, additionalType: p.type, conformsTo: ref('https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE') };
    if (p.description) entity.description = p.description;
    if (p.required !== undefined) entity.valueRequired = p.required;
    if (p.defaultValue !== undefined) entity.defaultValue = String(p.defaultValue);
    if (p.encodingFormat) entity.encodingFormat = p.encodingFormat;
    builder.put(entity);
    return ref(id);
  });
}

/** A tool of a workflow: its SoftwareApplication with FormalParameter inputs and outputs (per step, as tools may repeat). */
function addTool(builder: CrateBuilder, workflow: WorkflowDefinition, step: WorkflowStep): Ref {
  const before = builder.get(softwareId(step.tool));
  const tool = step.tool.code ? addSourceCode(builder, step.tool, step.tool.code) : addSoftware(builder, step.tool);
  const entity = before ?? builder.get(tool['@id'])!;
  builder.set(tool['@id'], {
    input: [...asRefs(entity.input), ...addParameters(builder, workflow, step.tool.inputs, 'input', step.id)],
    output: [...asRefs(entity.output), ...addParameters(builder, workflow, step.tool.outputs, 'output', step.id)],
  });
  return tool;
}

function addSourceCode(builder: CrateBuilder, tool: WorkflowTool, code: NonNullable<WorkflowTool['code']>): Ref {
  const entity: Entity = { '@id': softwareId(tool), '@type': 'SoftwareSourceCode', name: tool.name, text: code.text, sha256: code.sha256 };
  if (tool.description) entity.description = tool.description;
  if (code.programmingLanguage) entity.programmingLanguage = ref(code.programmingLanguage);
  builder.put(entity);
  return ref(entity['@id']);
}

function asRefs(value: unknown): Ref[] {
  return (Array.isArray(value) ? value : value ? [value] : []) as Ref[];
}

/** Add the workflow description to a crate; returns the workflow's `@id`. */
export function addWorkflow(builder: CrateBuilder, workflow: WorkflowDefinition): string {
  const id = workflowId(workflow);
  builder.putIfAbsent({ '@id': BIOSCHEMAS_WORKFLOW_PROFILE, '@type': 'CreativeWork', name: 'Bioschemas ComputationalWorkflow profile', version: '1.0-RELEASE' });
  builder.putIfAbsent({ '@id': 'https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE', '@type': 'CreativeWork', name: 'Bioschemas FormalParameter profile', version: '1.0-RELEASE' });
  const types = [...(workflow.file ? ['File'] : []), 'SoftwareSourceCode', 'ComputationalWorkflow', 'HowTo'];
  const entity: Entity = { '@id': id, '@type': types, name: workflow.name, conformsTo: ref(BIOSCHEMAS_WORKFLOW_PROFILE) };
  if (workflow.description) entity.description = workflow.description;
  if (workflow.version) entity.version = workflow.version;
  if (workflow.url) entity.url = workflow.url;
  if (workflow.license) entity.license = workflow.license;
  if (workflow.creators?.length) entity.creator = workflow.creators.map((c) => addAgent(builder, c));
  if (workflow.language) {
    const l = workflow.language;
    builder.put({ '@id': l.id, '@type': 'ComputerLanguage', name: l.name, identifier: ref(l.url), url: ref(l.url), ...(l.version ? { version: l.version } : {}) });
    entity.programmingLanguage = ref(l.id);
  }
  entity.input = addParameters(builder, workflow, workflow.inputs, 'input');
  entity.output = addParameters(builder, workflow, workflow.outputs, 'output');
  const tools = new Map<string, Ref>();
  const steps: Ref[] = [];
  for (const step of [...workflow.steps].sort((a, b) => a.position - b.position)) {
    const tool = addTool(builder, workflow, step);
    tools.set(softwareId(step.tool), tool);
    const sid = stepId(workflow, step.id);
    builder.put({ '@id': sid, '@type': 'HowToStep', name: step.name ?? step.id, position: String(step.position), workExample: tool });
    steps.push(ref(sid));
  }
  entity.hasPart = [...tools.values()];
  entity.step = steps;
  // Connections: those into a workflow output belong to the workflow, the others to the receiving step (the CWL convention).
  const workflowConnections: Ref[] = [];
  (workflow.connections ?? []).forEach((c, i) => {
    const cid = `${workflow.file ? id : ''}#connection/${i + 1}`;
    builder.put({
      '@id': cid,
      '@type': 'ParameterConnection',
      sourceParameter: ref(formalParameterId(workflow, c.source, c.source.step ? 'output' : 'input')),
      targetParameter: ref(formalParameterId(workflow, c.target, c.target.step ? 'input' : 'output')),
    });
    if (c.target.step) builder.link(stepId(workflow, c.target.step), 'connection', ref(cid));
    else workflowConnections.push(ref(cid));
  });
  if (workflowConnections.length) entity.connection = workflowConnections;
  // Merge: a workflow file keeps the checksum, size and format recorded for it as data.
  builder.merge(entity);
  return id;
}
