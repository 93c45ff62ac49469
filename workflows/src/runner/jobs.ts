/**
 * From a ready step to its jobs, as Galaxy would make them: a list
 * connected to an input that takes one dataset maps the step over the list
 * (one job per element, outputs become lists with the same element
 * identifiers); a list connected to an input that takes several datasets is
 * handed over whole. Each job's outputs get fixed places in the output
 * folder, so a re-run finds them again.
 */
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff';
import type { AnalysisNode } from '@fairio/model-runner';
import type { ToolStep } from '../model.js';
import { outputExtension, resolveKey } from '../tools.js';
import type { Value } from './values.js';

export interface Job {
  step: string;
  /** Element identifier for a mapped-over step. */
  element?: string;
  /** Where the job's state is kept ("step" or "step/element"). */
  slot: string;
  inputs: Record<string, string | string[] | undefined>;
  /** Raw parameter values: the step's state plus connected parameters. */
  parameters: Record<string, unknown>;
  outputs: Record<string, string>;
}

export interface StepPlan {
  jobs: Job[];
  /** Element identifiers when the step maps over a list. */
  elements?: string[];
  /** Folder per output holding a mapped step's elements. */
  collectionFolders?: Record<string, string>;
}

/** A step label as a folder name. */
export function slug(label: string): string {
  return label.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_') || 'step';
}

/** The jobs of a step whose sources all have values. */
export function planStep(step: ToolStep, node: AnalysisNode, valueOf: (label: string, output: string) => Value | undefined, outdir: string): StepPlan {
  const d = node.description;
  const single: Record<string, string | string[] | undefined> = {};
  const mapped = new Map<string, { identifier: string; path: string }[]>();
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(step.state)) {
    const resolved = resolveKey(node, key);
    if (resolved?.kind === 'parameter') parameters[resolved.spec.name] = value;
  }
  for (const [key, sources] of Object.entries(step.in)) {
    const values = sources.map((s) => valueOf(s.step, s.output)).filter((v): v is Value => v !== undefined);
    const resolved = resolveKey(node, key);
    if (resolved?.kind === 'parameter') {
      // A connected parameter (an absent optional workflow input leaves the step's own value).
      const v = values[0];
      if (v?.kind === 'parameter') parameters[resolved.spec.name] = v.value;
      continue;
    }
    if (resolved?.kind !== 'input') continue;
    const spec = resolved.spec;
    const name = spec.name;
    if (!values.length) continue;
    if (spec.multiple) {
      single[name] = values.flatMap((v) => (v.kind === 'list' ? v.elements.map((e) => e.path) : v.kind === 'dataset' ? [v.path] : []));
      continue;
    }
    const v = values[0];
    if (v.kind === 'list') mapped.set(name, v.elements);
    else if (v.kind === 'dataset') single[name] = v.path;
  }
  const folder = path.join(outdir, slug(step.label));
  if (!mapped.size) {
    const outputs = Object.fromEntries(d.outputs.map((o) => [o.name, path.join(folder, `${o.name}${outputExtension(o)}`)]));
    return { jobs: [{ step: step.label, slot: step.label, inputs: single, parameters, outputs }] };
  }
  // Every mapped list must have the same elements, as Galaxy requires of collections it maps over together.
  const [firstName, first] = [...mapped][0];
  const ids = first.map((e) => e.identifier);
  for (const [name, elements] of mapped) {
    const other = elements.map((e) => e.identifier);
    if (other.length !== ids.length || other.some((id, i) => id !== ids[i])) {
      throw new FairioError('INVALID_ARGUMENT', `step "${step.label}": inputs "${firstName}" and "${name}" are lists with different elements (${ids.join(', ')} / ${other.join(', ')}); a step maps over lists only when their elements match`);
    }
  }
  const collectionFolders = Object.fromEntries(d.outputs.map((o) => [o.name, path.join(folder, o.name)]));
  const jobs = ids.map((identifier, i) => ({
    step: step.label,
    element: identifier,
    slot: `${step.label}/${identifier}`,
    inputs: { ...single, ...Object.fromEntries([...mapped].map(([name, elements]) => [name, elements[i].path])) },
    parameters,
    outputs: Object.fromEntries(d.outputs.map((o) => [o.name, path.join(collectionFolders[o.name], `${slug(identifier)}${outputExtension(o)}`)])),
  }));
  return { jobs, elements: ids, collectionFolders };
}

