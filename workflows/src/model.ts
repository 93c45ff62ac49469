/**
 * The workflow model both file formats read into and write from: Galaxy's
 * concepts (input steps for datasets, collections and parameters; tool steps
 * with their state and connections; labelled workflow outputs; creators,
 * licence, release), without either format's spelling. Steps are named by
 * their label, which gxformat2 uses as the step key and `.ga` as `label`.
 */
import type { ParameterValue } from '@fairio/model-runner';

export type InputType = 'data' | 'collection' | 'int' | 'float' | 'boolean' | 'string';

/** Where a step sits in Galaxy's editor. */
export interface Position {
  left: number;
  top: number;
}

/** A workflow creator as Galaxy records it (schema.org Person or Organization). */
export interface Creator {
  class: 'Person' | 'Organization';
  name: string;
  /** For people: the ORCID iD as a URL (https://orcid.org/…). */
  identifier?: string;
  url?: string;
  email?: string;
}

interface StepBase {
  /** Unique within the workflow; gxformat2's step key, `.ga`'s `label`. */
  label: string;
  /** True when the file gave the step no label (its numeric id stands in for it). */
  anonymous?: boolean;
  doc?: string;
  position?: Position;
  uuid?: string;
}

/** A workflow input: a dataset, a collection (map-over a list of images) or a parameter. */
export interface InputStep extends StepBase {
  kind: 'input';
  type: InputType;
  optional?: boolean;
  default?: ParameterValue;
  /** Galaxy datatypes accepted (data and collections), e.g. ["tiff", "ome_zarr"]. */
  format?: string[];
  /** For collections: "list" (the only kind the local runner maps over). */
  collectionType?: string;
}

/** One connection into a step input: the output `output` of step `step` ("output" for input steps). */
export interface Source {
  step: string;
  output: string;
}

/** A step that runs a tool (a fairio node, by Galaxy tool id). */
export interface ToolStep extends StepBase {
  kind: 'tool';
  toolId: string;
  toolVersion?: string;
  /** Parameter values set in the step (not connected). */
  state: Record<string, ParameterValue>;
  /** Connections by tool input name (data inputs and connected parameters). */
  in: Record<string, Source[]>;
  /** Outputs hidden in the Galaxy history (intermediate results). */
  hidden?: string[];
}

export type Step = InputStep | ToolStep;

/** A labelled workflow output: what the workflow hands back and what its tests check. */
export interface WorkflowOutput {
  label: string;
  source: Source;
  doc?: string;
  uuid?: string;
}

export interface Workflow {
  name: string;
  doc?: string;
  /** The version of this workflow (IWC's `release`, the CHANGELOG's latest heading). */
  release?: string;
  /** SPDX identifier. */
  license?: string;
  creators: Creator[];
  tags: string[];
  uuid?: string;
  /** Input steps first, then tool steps, in Galaxy's order (a `.ga` numbers them in this order). */
  steps: Step[];
  outputs: WorkflowOutput[];
}

export const isInput = (step: Step): step is InputStep => step.kind === 'input';
export const isTool = (step: Step): step is ToolStep => step.kind === 'tool';

export function inputSteps(workflow: Workflow): InputStep[] {
  return workflow.steps.filter(isInput);
}

export function toolSteps(workflow: Workflow): ToolStep[] {
  return workflow.steps.filter(isTool);
}

export function stepByLabel(workflow: Workflow, label: string): Step | undefined {
  return workflow.steps.find((s) => s.label === label);
}

/** The one output an input step has. */
export const INPUT_OUTPUT = 'output';

/** "step/output" as gxformat2 writes a source (just "step" for an input step's only output). */
export function formatSource(source: Source, workflow: Workflow): string {
  const step = stepByLabel(workflow, source.step);
  return step?.kind === 'input' && source.output === INPUT_OUTPUT ? source.step : `${source.step}/${source.output}`;
}

/** Parse gxformat2's "step/output" (labels may themselves contain "/": the longest step label that matches wins). */
export function parseSource(text: string, labels: Iterable<string>): Source {
  const known = [...labels].sort((a, b) => b.length - a.length);
  if (known.includes(text)) return { step: text, output: INPUT_OUTPUT };
  for (const label of known) {
    if (text.startsWith(`${label}/`)) return { step: label, output: text.slice(label.length + 1) };
  }
  const cut = text.lastIndexOf('/');
  return cut < 0 ? { step: text, output: INPUT_OUTPUT } : { step: text.slice(0, cut), output: text.slice(cut + 1) };
}
