/**
 * Small text nodes for runner tests: fast, and they count their runs and
 * how many run at once, so tests can see what ran, what was reused and
 * what overlapped.
 */
import * as fs from 'node:fs';
import type { AnalysisNode, NodeDescription } from '@fairio/model-runner';
import { toolRegistry } from '../../tools.js';

export const stats = { runs: [] as string[], active: 0, maxActive: 0 };

export function resetStats(): void {
  stats.runs = [];
  stats.active = 0;
  stats.maxActive = 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describe(id: string, inputs: NodeDescription['inputs'], parameters: NodeDescription['parameters'] = []): NodeDescription {
  return {
    id,
    command: [id],
    name: id,
    version: '0.1.0',
    summary: id,
    help: id,
    inputs,
    parameters,
    outputs: [{ name: 'out', label: 'Out', help: 'text', formats: ['csv'] }],
  };
}

async function work<T>(label: string, delay: number, body: () => T): Promise<T> {
  stats.runs.push(label);
  stats.active++;
  stats.maxActive = Math.max(stats.maxActive, stats.active);
  try {
    await sleep(delay);
    return body();
  } finally {
    stats.active--;
  }
}

/** Upper-cases a text file and appends `suffix`; fails when `fail` is set. */
export const upper: AnalysisNode = {
  description: describe('upper', [{ name: 'text', label: 'Text', help: 'text', formats: ['csv'] }], [
    { name: 'suffix', type: 'text', label: 'Suffix', help: 'appended', default: '' },
    { name: 'delay', type: 'integer', label: 'Delay', help: 'ms', default: 50 },
    { name: 'fail', type: 'boolean', label: 'Fail', help: 'fail', default: false },
  ]),
  async run(context) {
    const input = context.inputs.text as string;
    return work(`upper:${fs.readFileSync(input, 'utf8').trim()}`, Number(context.parameters.delay), () => {
      if (context.parameters.fail) throw new Error('upper was told to fail');
      fs.writeFileSync(context.outputs.out, `${fs.readFileSync(input, 'utf8').trim().toUpperCase()}${String(context.parameters.suffix)}\n`);
      return { outputs: { out: context.outputs.out }, software: [{ name: 'Text engine', version: '1.0', url: 'https://example.org/text' }] };
    });
  },
};

/** Joins several text files, one per line. */
export const concat: AnalysisNode = {
  description: describe('concat', [{ name: 'parts', label: 'Parts', help: 'texts', formats: ['csv'], multiple: true }]),
  async run(context) {
    const parts = context.inputs.parts as string[];
    return work('concat', 20, () => {
      fs.writeFileSync(context.outputs.out, parts.map((p) => fs.readFileSync(p, 'utf8')).join(''));
      return { outputs: { out: context.outputs.out } };
    });
  },
};

/** Pairs two texts side by side (maps over two lists together). */
export const pair: AnalysisNode = {
  description: describe('pair', [
    { name: 'left', label: 'Left', help: 'text', formats: ['csv'] },
    { name: 'right', label: 'Right', help: 'text', formats: ['csv'] },
  ]),
  async run(context) {
    return work('pair', 10, () => {
      fs.writeFileSync(context.outputs.out, `${fs.readFileSync(context.inputs.left as string, 'utf8').trim()},${fs.readFileSync(context.inputs.right as string, 'utf8').trim()}\n`);
      return { outputs: { out: context.outputs.out } };
    });
  },
};

export const textTools = toolRegistry([upper, concat, pair]);

/**
 * Two independent branches joined at the end, and a list mapped over then reduced:
 *
 *   a ─ up_a ─┐
 *             ├─ join
 *   b ─ up_b ─┘
 *   list ─ each (map over) ─ all (reduce)
 */
export const TEXT_WORKFLOW = `class: GalaxyWorkflow
label: Text workflow
doc: Upper-cases texts.
inputs:
  a: data
  b: data
  list:
    type: collection
    collection_type: list
  suffix:
    type: string
    optional: true
    default: ''
  fail_b:
    type: boolean
    optional: true
    default: false
outputs:
  joined:
    outputSource: join/out
  each_out:
    outputSource: each/out
  all_out:
    outputSource: all/out
steps:
  up_a:
    tool_id: fairio_upper
    in:
      text: a
      suffix: suffix
  up_b:
    tool_id: fairio_upper
    in:
      text: b
      fail: fail_b
  join:
    tool_id: fairio_concat
    in:
      parts:
        - up_a/out
        - up_b/out
  each:
    tool_id: fairio_upper
    in:
      text: list
    state:
      delay: 10
  all:
    tool_id: fairio_concat
    in:
      parts: each/out
`;
