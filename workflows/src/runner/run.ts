/**
 * The local runner: a workflow's fairio steps run directly through
 * `runNode`, no Galaxy needed. Steps start as soon as the steps they read
 * from are done, several jobs at a time (bounded); a job whose tool, input
 * contents and parameters are unchanged since it last ran in the same output
 * folder is reused instead of run; a failing step stops the steps that need
 * it while the others finish; and every invocation, failed or not, is
 * recorded as a Workflow Run / Provenance Run Crate in the output folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkParameters, runNode, type AnalysisNode, type RunRecord } from '@fairio/model-runner';
import type { Person } from '@fairio/provenance';
import { EXTENSIONS, workflowStem, writeWorkflowText, type WorkflowFormat } from '../formats/index.js';
import { dependencies, downstream } from '../graph.js';
import { assertRunnable } from '../lint/index.js';
import { isInput, isTool, stepByLabel, type ToolStep, type Workflow } from '../model.js';
import { defaultTools, type ToolRegistry } from '../tools.js';
import { jobKey, RunState, type JobRecord } from './cache.js';
import { planStep, type Job, type StepPlan } from './jobs.js';
import { recordInvocation } from './record.js';
import { bindInputs, type InputGiven, type Value } from './values.js';

export type StepStatus = 'completed' | 'cached' | 'failed' | 'skipped';

/** Progress of a run, step by step (and element by element for mapped steps). */
export type RunEvent =
  | { type: 'start'; step: string; element?: string; jobs: number }
  | { type: 'progress'; step: string; element?: string; done: number; total: number }
  | { type: 'done'; step: string; element?: string; status: 'completed' | 'cached'; seconds: number }
  | { type: 'failed'; step: string; element?: string; error: string }
  | { type: 'skipped'; step: string; reason: string };

export interface JobResult {
  element?: string;
  status: 'completed' | 'cached' | 'failed';
  key?: string;
  inputs: Record<string, string | string[] | undefined>;
  parameters: { name: string; value: string | number | boolean }[];
  outputs: Record<string, string>;
  startTime: Date;
  endTime: Date;
  software: { name: string; version: string; url?: string }[];
  summary?: Record<string, unknown>;
  error?: string;
}

export interface StepResult {
  step: string;
  status: StepStatus;
  jobs: JobResult[];
  error?: string;
  /** What each output of the step holds. */
  outputs: Record<string, Value>;
  plan?: StepPlan;
}

export interface WorkflowRunResult {
  status: 'completed' | 'failed';
  outdir: string;
  /** The workflow file as copied into the output folder (the crate's main entity). */
  workflowFile: string;
  /** The folder holding the run crate (the output folder), unless crates were turned off. */
  crate?: string;
  steps: StepResult[];
  /** The labelled workflow outputs. */
  outputs: Record<string, Value>;
  inputs: Map<string, Value | undefined>;
  startTime: Date;
  endTime: Date;
  error?: string;
}

export interface RunWorkflowOptions {
  /** The workflow file it came from: copied into the output folder as it is. */
  workflowFile?: string;
  /** Values of the workflow inputs by label. */
  inputs: Record<string, InputGiven>;
  outdir: string;
  tools?: ToolRegistry;
  /** Jobs run at once (default 2). */
  parallel?: number;
  /** Worker threads per job (default: the cores shared among the parallel jobs). */
  workers?: number;
  /** Reuse unchanged jobs' outputs (default true). */
  cache?: boolean;
  /** Write the run crate (default true). */
  crate?: boolean;
  agent?: Person;
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Run a workflow locally; resolves with every step's result, also when a step failed. */
export async function runWorkflow(workflow: Workflow, options: RunWorkflowOptions): Promise<WorkflowRunResult> {
  const tools = options.tools ?? defaultTools;
  assertRunnable(workflow, { tools, source: options.workflowFile });
  const values = bindInputs(workflow, options.inputs);
  const outdir = path.resolve(options.outdir);
  fs.mkdirSync(outdir, { recursive: true });
  const workflowFile = copyWorkflow(workflow, options.workflowFile, outdir, tools);
  const state = RunState.load(outdir);
  const parallel = Math.max(1, options.parallel ?? 2);
  const workers = options.workers ?? Math.max(1, Math.floor(os.availableParallelism() / parallel));
  const startTime = new Date();
  const emit = (event: RunEvent) => options.onEvent?.(event);

  const results = new Map<string, StepResult>();
  const outputValue = (label: string, output: string): Value | undefined => {
    const step = stepByLabel(workflow, label);
    if (step && isInput(step)) return values.get(label);
    return results.get(label)?.outputs[output];
  };
  const deps = dependencies(workflow);
  const toolLabels = new Set(workflow.steps.filter(isTool).map((s) => s.label));
  const pending = new Set(toolLabels);
  const nodeOf = (step: ToolStep) => tools.find(step.toolId)!;

  // A small job pool shared by all steps.
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= parallel) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };

  const runJob = async (step: ToolStep, node: AnalysisNode, job: Job): Promise<JobResult> => {
    const started = new Date();
    const base = { element: job.element, inputs: job.inputs, outputs: job.outputs, parameters: [] as JobResult['parameters'], software: [] as JobResult['software'] };
    try {
      const checked = checkParameters(node.description, job.parameters);
      base.parameters = Object.entries(checked).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }]));
      const digests: Record<string, string | string[]> = {};
      for (const [name, v] of Object.entries(job.inputs)) {
        if (v === undefined) continue;
        digests[name] = Array.isArray(v) ? await Promise.all(v.map((p) => state.digest(p))) : await state.digest(v);
      }
      const key = jobKey({ id: node.description.id, version: node.description.version }, digests, checked);
      const previous = state.job(job.slot);
      if (options.cache !== false && previous?.key === key && sameOutputs(previous, job) && (await state.outputsIntact(previous))) {
        emit({ type: 'done', step: step.label, element: job.element, status: 'cached', seconds: 0 });
        return { ...base, status: 'cached', key, startTime: new Date(previous.startTime), endTime: new Date(previous.endTime), software: previous.software ?? [], summary: previous.summary };
      }
      state.setJob(job.slot, undefined);
      for (const out of Object.values(job.outputs)) {
        state.forget(out);
        fs.mkdirSync(path.dirname(out), { recursive: true });
      }
      let record: RunRecord | undefined;
      try {
        const done = await slot(() => {
          emit({ type: 'start', step: step.label, element: job.element, jobs: 1 });
          return runNode(
            node,
            {
              inputs: job.inputs,
              parameters: job.parameters,
              outputs: job.outputs,
              overwrite: true,
              workers,
              signal: options.signal,
              onProgress: (d, total) => emit({ type: 'progress', step: step.label, element: job.element, done: d, total }),
            },
            {},
          );
        });
        record = done.record;
      } catch (error) {
        emit({ type: 'failed', step: step.label, element: job.element, error: message(error) });
        return { ...base, status: 'failed', key, startTime: started, endTime: new Date(), error: message(error) };
      }
      const software = record.software.filter((s) => s.name !== 'fairio' && s.name !== 'Node.js');
      const outputDigests: Record<string, string> = {};
      for (const [name, file] of Object.entries(job.outputs)) if (fs.existsSync(file)) outputDigests[name] = await state.digest(file);
      const jobRecord: JobRecord = {
        key,
        outputs: Object.fromEntries(Object.entries(job.outputs).filter(([name]) => name in outputDigests)),
        digests: outputDigests,
        startTime: record.startTime,
        endTime: record.endTime,
        software,
        summary: record.summary,
      };
      state.setJob(job.slot, jobRecord);
      state.save();
      const endTime = new Date(record.endTime);
      emit({ type: 'done', step: step.label, element: job.element, status: 'completed', seconds: (endTime.getTime() - started.getTime()) / 1000 });
      return { ...base, outputs: jobRecord.outputs, status: 'completed', key, startTime: new Date(record.startTime), endTime, software, summary: record.summary };
    } catch (error) {
      emit({ type: 'failed', step: step.label, element: job.element, error: message(error) });
      return { ...base, status: 'failed', startTime: started, endTime: new Date(), error: message(error) };
    }
  };

  const runStep = async (step: ToolStep): Promise<StepResult> => {
    const node = nodeOf(step);
    let plan: StepPlan;
    try {
      plan = planStep(step, node, outputValue, outdir);
    } catch (error) {
      emit({ type: 'failed', step: step.label, error: message(error) });
      return { step: step.label, status: 'failed', jobs: [], error: message(error), outputs: {} };
    }
    const jobs = await Promise.all(plan.jobs.map((job) => runJob(step, node, job)));
    const failed = jobs.filter((j) => j.status === 'failed');
    const outputs: Record<string, Value> = {};
    for (const spec of node.description.outputs) {
      if (plan.elements) {
        const elements = jobs.flatMap((j) => (j.outputs[spec.name] && j.status !== 'failed' ? [{ identifier: j.element!, path: j.outputs[spec.name] }] : []));
        if (elements.length) outputs[spec.name] = { kind: 'list', elements };
      } else if (jobs[0]?.status !== 'failed' && jobs[0]?.outputs[spec.name]) {
        outputs[spec.name] = { kind: 'dataset', path: jobs[0].outputs[spec.name] };
      }
    }
    const status: StepStatus = failed.length ? 'failed' : jobs.every((j) => j.status === 'cached') ? 'cached' : 'completed';
    const error = failed.length ? failed.map((j) => (j.element ? `${j.element}: ${j.error}` : j.error)).join('; ') : undefined;
    return { step: step.label, status, jobs, outputs, plan, ...(error ? { error } : {}) };
  };

  // Start every step whose inputs are ready; when one ends, look again.
  await new Promise<void>((resolve) => {
    let active = 0;
    const schedule = () => {
      for (const label of [...pending]) {
        const from = [...(deps.get(label) ?? [])].filter((d) => toolLabels.has(d));
        const blocked = from.find((d) => results.get(d)?.status === 'failed' || results.get(d)?.status === 'skipped');
        if (blocked) {
          pending.delete(label);
          const reason = `step "${blocked}" ${results.get(blocked)!.status === 'failed' ? 'failed' : 'was skipped'}`;
          results.set(label, { step: label, status: 'skipped', jobs: [], outputs: {}, error: reason });
          emit({ type: 'skipped', step: label, reason });
          continue;
        }
        if (from.some((d) => !results.has(d))) continue;
        pending.delete(label);
        active++;
        void runStep(stepByLabel(workflow, label) as ToolStep).then((result) => {
          results.set(label, result);
          active--;
          schedule();
        });
      }
      if (active === 0) {
        // Steps blocked behind a failure were marked above; anything left waits on nothing that will end.
        if (pending.size) {
          for (const label of pending) results.set(label, { step: label, status: 'skipped', jobs: [], outputs: {}, error: 'its inputs never became ready' });
          pending.clear();
        }
        resolve();
      }
    };
    schedule();
  });
  state.save();

  const steps = workflow.steps.filter(isTool).map((s) => results.get(s.label)!);
  const failedSteps = steps.filter((s) => s.status === 'failed');
  const outputs: Record<string, Value> = {};
  for (const o of workflow.outputs) {
    const v = outputValue(o.source.step, o.source.output);
    if (v) outputs[o.label] = v;
  }
  const result: WorkflowRunResult = {
    status: failedSteps.length ? 'failed' : 'completed',
    outdir,
    workflowFile,
    steps,
    outputs,
    inputs: values,
    startTime,
    endTime: new Date(),
    ...(failedSteps.length ? { error: failedSteps.map((s) => `step "${s.step}" failed: ${s.error}`).join('; ') } : {}),
  };
  if (options.crate !== false) {
    await recordInvocation(workflow, result, { tools, digests: state.digests, agent: options.agent });
    result.crate = outdir;
  }
  return result;
}

/** The cached job wrote where this job writes. */
function sameOutputs(previous: JobRecord, job: Job): boolean {
  const names = Object.keys(previous.outputs);
  return names.length > 0 && names.every((n) => previous.outputs[n] === job.outputs[n]);
}

/** Put the workflow file into the output folder, so that the run crate holds exactly what ran. */
function copyWorkflow(workflow: Workflow, file: string | undefined, outdir: string, tools: ToolRegistry): string {
  if (file && fs.existsSync(file)) {
    const target = path.join(outdir, path.basename(file));
    if (path.resolve(file) !== target) fs.copyFileSync(file, target);
    return target;
  }
  const format: WorkflowFormat = 'gxwf';
  const target = path.join(outdir, `${workflowStem(workflow.name.replace(/[^A-Za-z0-9_.-]+/g, '-').toLowerCase()) || 'workflow'}${EXTENSIONS[format]}`);
  fs.writeFileSync(target, writeWorkflowText(workflow, format, { tools }));
  return target;
}

/** Labels of steps a changed step forces to run again (for reports and tests). */
export function affectedBy(workflow: Workflow, label: string): string[] {
  return [label, ...downstream(workflow, label)];
}

