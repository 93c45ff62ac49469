/**
 * Every invocation leaves a crate: the run as a Workflow Run Crate and
 * Provenance Run Crate (provenance's `recordWorkflowRun`) in the output
 * folder, with the workflow file as its main entity, one action per step
 * that ran (inputs, parameter values, outputs, engines, times, errors), and
 * for steps whose outputs were reused from an earlier identical run, that
 * fact and the earlier run's times. Steps skipped after a failure have no
 * action: they did not run.
 */
import * as path from 'node:path';
import { fairioSoftware, newRunId, recordWorkflowRun, updateCrate, type DigestCache, type Person, type PathBinding, type Software, type WorkflowRunRecord } from '@fairio/provenance';
import { isInput, type Workflow } from '../model.js';
import { workflowDefinition } from '../definition.js';
import type { ToolRegistry } from '../tools.js';
import { slug } from './jobs.js';
import type { JobResult, StepResult, WorkflowRunResult } from './run.js';
import type { Value } from './values.js';

/** The engine: fairio's local runner. */
export function runnerSoftware(): Software {
  return { ...fairioSoftware({ command: 'workflow run' }), name: 'fairio workflow runner' };
}

function valueBindings(parameter: string, value: Value | undefined, collectionFolder?: string): PathBinding[] {
  if (!value) return [];
  if (value.kind === 'parameter') return [{ parameter, value: value.value }];
  if (value.kind === 'dataset') return [{ parameter, path: value.path }];
  return collectionFolder ? [{ parameter, path: collectionFolder }] : value.elements.map((e) => ({ parameter, path: e.path }));
}

function jobBindings(jobs: JobResult[]): { inputs: PathBinding[]; outputs: PathBinding[] } {
  const inputs: PathBinding[] = [];
  const outputs: PathBinding[] = [];
  const seen = new Set<string>();
  const add = (list: PathBinding[], b: PathBinding) => {
    const key = `${b.parameter}\u0000${b.path ?? JSON.stringify(b.value)}`;
    if (!seen.has(key)) list.push(b);
    seen.add(key);
  };
  for (const job of jobs) {
    for (const [name, v] of Object.entries(job.inputs)) for (const p of v === undefined ? [] : Array.isArray(v) ? v : [v]) add(inputs, { parameter: name, path: p });
    for (const p of job.parameters) add(inputs, { parameter: p.name, value: p.value });
    if (job.status !== 'failed') for (const [name, p] of Object.entries(job.outputs)) add(outputs, { parameter: name, path: p });
  }
  return { inputs, outputs };
}

function describeReuse(step: StepResult): string | undefined {
  const cached = step.jobs.filter((j) => j.status === 'cached');
  if (!cached.length) return undefined;
  const what = step.jobs.length > 1 ? `${cached.length} of ${step.jobs.length} elements` : 'its outputs';
  return `Not run again: ${what} reused from an earlier run in this folder with the same tool, input contents and parameters (cache key ${cached[0].key?.slice(0, 12)}…); times are those of that run.`;
}

/** Record a finished (or failed) run in its output folder's crate; returns the run action's `@id`. */
export async function recordInvocation(workflow: Workflow, result: WorkflowRunResult, options: { tools: ToolRegistry; digests?: DigestCache; agent?: Person }): Promise<string> {
  const ran = result.steps.filter((s) => s.status !== 'skipped' && s.jobs.length);
  const engines = new Map<string, Software[]>(
    ran.map((s) => {
      const byName = new Map<string, Software>();
      for (const j of s.jobs) for (const sw of j.software) byName.set(`${sw.name} ${sw.version}`, { name: sw.name, version: sw.version, url: sw.url ?? 'https://github.com/fairio/fairio' });
      return [s.step, [...byName.values()]];
    }),
  );
  const used = new Map(ran.map((s) => [s.step, new Set(s.jobs.flatMap((j) => [...Object.keys(j.inputs).filter((k) => j.inputs[k] !== undefined), ...j.parameters.map((p) => p.name)]))]));
  const definition = workflowDefinition(workflow, options.tools, { file: path.basename(result.workflowFile), engines, used });
  const runId = newRunId();
  const record: WorkflowRunRecord = {
    id: runId,
    name: `Run of ${workflow.name}`,
    workflow: definition,
    engine: runnerSoftware(),
    ...(options.agent ? { agent: options.agent } : {}),
    inputs: workflow.steps.filter(isInput).flatMap((s) => valueBindings(slug(s.label), result.inputs.get(s.label))),
    outputs: workflow.outputs.flatMap((o) => {
      const step = result.steps.find((s) => s.step === o.source.step);
      return valueBindings(slug(o.label), result.outputs[o.label], step?.plan?.collectionFolders?.[o.source.output]);
    }),
    steps: ran.map((s) => {
      const { inputs, outputs } = jobBindings(s.jobs);
      return {
        step: slug(s.step),
        inputs,
        outputs,
        startTime: new Date(Math.min(...s.jobs.map((j) => j.startTime.getTime()))),
        endTime: new Date(Math.max(...s.jobs.map((j) => j.endTime.getTime()))),
        ...(s.status === 'failed' ? { error: s.error ?? 'failed' } : {}),
      };
    }),
    startTime: result.startTime,
    endTime: result.endTime,
    ...(result.error ? { error: result.error } : {}),
  };
  const actionId = await recordWorkflowRun(result.outdir, record, { cache: options.digests, preview: false, crate: { name: `Runs of ${workflow.name}`, description: `Provenance of runs of the workflow "${workflow.name}" by fairio's local runner.`, license: workflow.license } });
  // What the generic recording cannot say: which steps were reused rather than run, and which were skipped.
  await updateCrate(
    result.outdir,
    (builder) => {
      for (const s of ran) {
        const note = describeReuse(s);
        if (note) builder.set(`${runId}-step-${slug(s.step)}`, { description: note });
      }
      const skipped = result.steps.filter((s) => s.status === 'skipped');
      if (skipped.length) {
        const main = builder.get(actionId);
        builder.set(actionId, { description: `${String(main?.description ?? '')}; not run because an earlier step failed: ${skipped.map((s) => `"${s.step}"`).join(', ')}` });
      }
    },
    { create: { name: `Runs of ${workflow.name}`, description: `Provenance of runs of the workflow "${workflow.name}".` } },
  );
  return actionId;
}
