/**
 * One run of one tool as a Process Run Crate 0.5 `CreateAction`: what ran
 * (`instrument`: fairio and the engines it used), on what (`object`: input
 * data and parameters as `PropertyValue`s), producing what (`result`), who
 * ran it (`agent`), when (`startTime`, `endTime`) and how it ended
 * (`actionStatus`, with `error` when it failed).
 */
import type { CrateBuilder, Entity, Ref } from './builder.js';
import { ref } from './builder.js';
import { addAgent, type Agent } from './agents.js';
import { addData, type DescribedData } from './data-entity.js';
import { addSoftware, type Software } from './software.js';

export type ParameterValue = string | number | boolean;

export interface RunParameter {
  name: string;
  value: ParameterValue;
  /** Unit of a quantity, in words ("micrometer") or UN/CEFACT code. */
  unitText?: string;
  description?: string;
}

export interface ProcessRun {
  /** `@id` of the action (default: a fresh `#run-UUID`, so runs never collide when merged). */
  id?: string;
  /** What was done, for people ("Convert sample.ome.tiff to OME-Zarr"). */
  name: string;
  description?: string;
  /** The tool that ran (usually `fairioSoftware({ command, engines })`). */
  instrument: Software;
  inputs: DescribedData[];
  parameters: RunParameter[];
  outputs: DescribedData[];
  agent?: Agent;
  startTime: Date;
  endTime: Date;
  /** Present when the run failed: what went wrong, in words. */
  error?: string;
}

export const COMPLETED = 'http://schema.org/CompletedActionStatus';
export const FAILED = 'http://schema.org/FailedActionStatus';

/** ISO 8601 with milliseconds and a numeric offset, as Process Run Crate asks (`Z` is not accepted there). */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/Z$/, '+00:00');
}

export function newRunId(): string {
  // The Web Crypto API (browsers, Node 20+), so that this module runs in both.
  return `#run-${globalThis.crypto.randomUUID()}`;
}

/** `@id` of a parameter of a run. */
export function parameterId(runId: string, name: string): string {
  return `${runId}-parameter-${name.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
}

export function addParameter(builder: CrateBuilder, runId: string, parameter: RunParameter, extra: Record<string, unknown> = {}): Ref {
  const id = parameterId(runId, parameter.name);
  const entity: Entity = { '@id': id, '@type': 'PropertyValue', name: parameter.name, value: parameter.value, ...extra };
  if (parameter.unitText) entity.unitText = parameter.unitText;
  if (parameter.description) entity.description = parameter.description;
  builder.put(entity);
  return ref(id);
}

/**
 * Add a run to a crate: the action (mentioned from the root), its software,
 * agent, data and parameters. Declares Process Run Crate conformance.
 * Returns the action's `@id`.
 */
export function addProcessRun(builder: CrateBuilder, run: ProcessRun, options: { actionType?: 'CreateAction' | 'UpdateAction' } = {}): string {
  const id = run.id ?? newRunId();
  builder.conformsTo('process');
  const instrument = addSoftware(builder, run.instrument);
  const inputs = run.inputs.map((d) => addData(builder, d));
  const parameters = run.parameters.map((p) => addParameter(builder, id, p));
  const outputs = run.outputs.map((d) => addData(builder, d));
  const action: Entity = {
    '@id': id,
    '@type': options.actionType ?? 'CreateAction',
    name: run.name,
    description: run.description ?? run.name,
    instrument,
    startTime: formatTime(run.startTime),
    endTime: formatTime(run.endTime),
    actionStatus: run.error === undefined ? COMPLETED : FAILED,
  };
  if (inputs.length + parameters.length) action.object = [...inputs, ...parameters];
  if (outputs.length) action.result = outputs;
  if (run.agent) action.agent = addAgent(builder, run.agent);
  if (run.error !== undefined) action.error = run.error;
  builder.put(action);
  builder.addToRoot('mentions', id);
  return id;
}
