/**
 * A workflow invocation as a Workflow Run Crate and Provenance Run Crate
 * (0.5): one `CreateAction` for the whole run (instrument: the workflow, the
 * root's `mainEntity`), one `CreateAction` per step run (instrument: the
 * step's tool), a `ControlAction` per step linking the `HowToStep` to its
 * run, and an `OrganizeAction` for the engine that orchestrated them. Data
 * and parameter values point to the `FormalParameter`s they instantiate
 * (`exampleOfWork`), and the parameters back to them (`workExample`). No I/O
 * (browsers use it too): `record-workflow-run.ts` records a run from files.
 */
import type { CrateBuilder, Entity, Ref } from './builder.js';
import { asArray, ref } from './builder.js';
import { addAgent, type Agent } from './agents.js';
import { addData, type DescribedData } from './data-entity.js';
import { addParameter, COMPLETED, FAILED, formatTime, newRunId, type ParameterValue } from './process-run.js';
import { addSoftware, softwareId, type Software } from './software.js';
import { METADATA_FILE, PROFILES } from './vocabulary.js';
import { addWorkflow, formalParameterId, stepId, type ParameterEnd, type WorkflowDefinition } from './workflow.js';

/** A value bound to a parameter: data (a file or folder) or a plain value. */
export interface Binding {
  parameter: string;
  data?: DescribedData;
  value?: ParameterValue;
}

/**
 * What a caller adds to an action beyond its bindings: objects, results and
 * instruments already in the crate (data no parameter declares, the kernel a
 * notebook cell ran on), or a status other than completed / failed.
 */
export interface ActionExtras {
  object?: Ref[];
  result?: Ref[];
  instrument?: Ref[];
  actionStatus?: string;
}

export interface StepRun {
  step: string;
  inputs: Binding[];
  outputs: Binding[];
  startTime: Date;
  /** Absent when the step had not ended when the run was recorded. */
  endTime?: Date;
  error?: string;
  extras?: ActionExtras;
}

export interface WorkflowRun {
  id?: string;
  name?: string;
  workflow: WorkflowDefinition;
  /** The engine that ran the workflow (fairio's runner, Galaxy…). */
  engine: Software;
  inputs: Binding[];
  outputs: Binding[];
  steps: StepRun[];
  agent?: Agent;
  startTime: Date;
  endTime: Date;
  error?: string;
  extras?: ActionExtras;
}

function bind(builder: CrateBuilder, runId: string, formal: string, binding: Binding): Ref | undefined {
  let target: Ref | undefined;
  if (binding.data) target = addData(builder, binding.data);
  else if (binding.value !== undefined) target = addParameter(builder, runId, { name: binding.parameter, value: binding.value }, {});
  if (!target) return undefined;
  builder.link(target['@id'], 'exampleOfWork', ref(formal));
  builder.link(formal, 'workExample', target);
  return target;
}

function addExtras(entity: Entity, extras: ActionExtras | undefined): void {
  for (const key of ['object', 'result', 'instrument'] as const) {
    if (extras?.[key]?.length) entity[key] = [...asArray(entity[key] as Ref | Ref[] | undefined), ...extras[key]];
  }
  if (extras?.actionStatus) entity.actionStatus = extras.actionStatus;
}

function action(builder: CrateBuilder, entity: Entity, error: string | undefined): void {
  entity.actionStatus ??= error === undefined ? COMPLETED : FAILED;
  if (error !== undefined) entity.error = error;
  builder.put(entity);
  builder.addToRoot('mentions', entity['@id']);
}

/**
 * Add a workflow run to a crate. With `provenance` (default true) the steps
 * are recorded too, making it a Provenance Run Crate. Returns the `@id` of
 * the workflow run action.
 */
export function addWorkflowRun(builder: CrateBuilder, run: WorkflowRun, options: { provenance?: boolean } = {}): string {
  const provenance = options.provenance ?? true;
  const runId = run.id ?? newRunId();
  const workflow = run.workflow;
  builder.conformsTo('process');
  builder.conformsTo('workflow');
  if (provenance) builder.conformsTo('provenance');
  if (workflow.file && workflow.language) {
    // Workflow RO-Crate declares itself on the metadata descriptor as well.
    builder.conformsTo('workflow-ro-crate');
    builder.link(METADATA_FILE, 'conformsTo', ref(PROFILES['workflow-ro-crate'].id));
  }
  const wid = addWorkflow(builder, workflow);
  builder.set(builder.rootId, { mainEntity: ref(wid) });
  if (workflow.file) builder.addToRoot('hasPart', wid);
  const agent = run.agent ? addAgent(builder, run.agent) : undefined;
  const formal = (end: ParameterEnd, direction: 'input' | 'output') => formalParameterId(workflow, end, direction);
  const bindAll = (bindings: Binding[], direction: 'input' | 'output', step?: string) =>
    bindings.map((b) => bind(builder, step ? `${runId}-${step}` : runId, formal({ step, parameter: b.parameter }, direction), b)).filter((r): r is Ref => r !== undefined);

  const main: Entity = {
    '@id': runId,
    '@type': 'CreateAction',
    name: run.name ?? `Run of ${workflow.name}`,
    description: `${workflow.name} run by ${run.engine.name} ${run.engine.version}`,
    instrument: ref(wid),
    startTime: formatTime(run.startTime),
    endTime: formatTime(run.endTime),
  };
  const objects = bindAll(run.inputs, 'input');
  const results = bindAll(run.outputs, 'output');
  if (objects.length) main.object = objects;
  if (results.length) main.result = results;
  if (agent) main.agent = agent;
  addExtras(main, run.extras);
  action(builder, main, run.error);
  if (!provenance) return runId;

  const engine = addSoftware(builder, run.engine);
  const controls: Ref[] = [];
  for (const stepRun of run.steps) {
    const step = workflow.steps.find((s) => s.id === stepRun.step);
    if (!step) continue;
    const toolRunId = `${runId}-step-${step.id}`;
    const toolRun: Entity = {
      '@id': toolRunId,
      '@type': 'CreateAction',
      name: `${step.name ?? step.id} (step ${step.position + 1} of ${workflow.name})`,
      description: `${step.tool.name} ${step.tool.version} as step "${step.name ?? step.id}"`,
      instrument: ref(softwareId(step.tool)),
      startTime: formatTime(stepRun.startTime),
      ...(stepRun.endTime ? { endTime: formatTime(stepRun.endTime) } : {}),
    };
    const stepObjects = bindAll(stepRun.inputs, 'input', step.id);
    const stepResults = bindAll(stepRun.outputs, 'output', step.id);
    if (stepObjects.length) toolRun.object = stepObjects;
    if (stepResults.length) toolRun.result = stepResults;
    if (agent) toolRun.agent = agent;
    addExtras(toolRun, stepRun.extras);
    action(builder, toolRun, stepRun.error);
    const controlId = `${runId}-control-${step.id}`;
    action(builder, { '@id': controlId, '@type': 'ControlAction', name: `orchestrate step "${step.name ?? step.id}"`, instrument: ref(stepId(workflow, step.id)), object: ref(toolRunId), actionStatus: toolRun.actionStatus }, stepRun.error);
    controls.push(ref(controlId));
  }
  action(
    builder,
    {
      '@id': `${runId}-organize`,
      '@type': 'OrganizeAction',
      name: `${run.engine.name} ran ${workflow.name}`,
      instrument: engine,
      ...(controls.length ? { object: controls } : {}),
      result: ref(runId),
      startTime: formatTime(run.startTime),
      endTime: formatTime(run.endTime),
      ...(agent ? { agent } : {}),
    },
    run.error,
  );
  return runId;
}
