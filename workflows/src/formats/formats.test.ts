/**
 * Both formats read into the same workflow and write back unchanged: every
 * example's gxformat2 source is already in canonical form, its `.ga` (kept
 * beside it for Galaxy and planemo) is what the writer makes of it, and
 * converting either way and back changes nothing. Also the spellings
 * Galaxy and people use that the writer normalises, and files that are
 * refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, exampleDir, exampleWorkflow } from '../examples.js';
import type { Workflow } from '../model.js';
import { parseGxformat2, parseNative, parseWorkflow, readWorkflow, writeGxformat2, writeNative, writeWorkflowText } from './index.js';

/** The model without what only an editor cares about (positions) or Galaxy assigns (uuids). */
function comparable(workflow: Workflow): unknown {
  return {
    ...workflow,
    uuid: undefined,
    steps: workflow.steps.map((s) => ({ ...s, position: undefined, uuid: undefined })),
    outputs: workflow.outputs.map((o) => ({ ...o, uuid: undefined })),
  };
}

describe.each(EXAMPLES)('example %s', (name) => {
  const source = exampleWorkflow(name);
  const text = fs.readFileSync(source, 'utf8');
  const workflow = readWorkflow(source);

  it('is in canonical gxformat2 form', () => {
    expect(writeGxformat2(workflow)).toBe(text);
  });

  it('has its .ga beside it, as the writer makes it', () => {
    expect(fs.readFileSync(path.join(exampleDir(name), `${name}.ga`), 'utf8')).toBe(writeNative(workflow));
  });

  it('round-trips: gxformat2 → .ga → gxformat2 and .ga → gxformat2 → .ga change nothing', () => {
    const ga = writeNative(workflow);
    const back = parseNative(ga);
    expect(comparable(back)).toEqual(comparable(workflow));
    expect(writeGxformat2(back)).toBe(text);
    expect(writeNative(parseGxformat2(writeGxformat2(back)))).toBe(ga);
  });
});

describe('reading what Galaxy and people write', () => {
  it('reads list-form steps and inputs, type aliases, {source} inputs, JSON tool_state and hidden outputs', () => {
    const wf = parseGxformat2(
      [
        'class: GalaxyWorkflow',
        'label: Aliases',
        'inputs:',
        '  - id: cells',
        '    type: File',
        '  - id: level',
        '    type: integer',
        '    default: 3',
        'outputs:',
        '  - id: mask',
        '    outputSource: threshold/mask',
        'steps:',
        '  - label: threshold',
        '    tool_id: toolshed.g2.bx.psu.edu/repos/fairio/fairio/fairio_threshold/0.1.0+galaxy0',
        '    tool_state: \'{"method": "manual", "__page__": null, "image": {"__class__": "RuntimeValue"}}\'',
        '    in:',
        '      - id: image',
        '        source: cells',
        '    state:',
        '      value: 0.5',
        '    out:',
        '      mask:',
        '        hide: true',
        '',
      ].join('\n'),
    );
    expect(wf.steps[0]).toMatchObject({ kind: 'input', label: 'cells', type: 'data' });
    expect(wf.steps[1]).toMatchObject({ kind: 'input', label: 'level', type: 'int', default: 3 });
    expect(wf.steps[2]).toMatchObject({ kind: 'tool', label: 'threshold', state: { method: 'manual', value: 0.5 }, in: { image: [{ step: 'cells', output: 'output' }] }, hidden: ['mask'] });
    expect(wf.outputs).toEqual([{ label: 'mask', source: { step: 'threshold', output: 'mask' } }]);
  });

  it('reads .ga tool state with JSON-encoded values, conditionals and connections by step number', () => {
    const ga = {
      a_galaxy_workflow: 'true',
      'format-version': '0.1',
      name: 'Old export',
      steps: {
        '0': { id: 0, type: 'data_input', label: null, inputs: [{ name: 'model zip' }], tool_state: '{"optional": false}' },
        '1': { id: 1, type: 'data_input', label: 'image', tool_state: '{"optional": false, "format": ["ome_zarr"]}' },
        '2': {
          id: 2,
          type: 'tool',
          label: null,
          tool_id: 'fairio_bioimageio_predict',
          tool_version: '0.1.0+galaxy0',
          tool_state: JSON.stringify({ channels: '"0"', device: 'cpu', model: { source: 'dataset', file: { __class__: 'ConnectedValue' } }, __page__: null }),
          input_connections: { 'model|file': { id: 0, output_name: 'output' }, image: [{ id: 1, output_name: 'output' }] },
          workflow_outputs: [{ label: 'probabilities', output_name: 'prediction' }, { label: null, output_name: 'crate' }],
        },
      },
    };
    const wf = parseNative(JSON.stringify(ga));
    expect(wf.steps.map((s) => s.label)).toEqual(['model zip', 'image', '2']);
    // device: cpu is the form's default, model|source: dataset what the connection implies: neither is the author's choice.
    expect(wf.steps[2]).toMatchObject({ anonymous: true, state: { channels: '0' }, in: { 'model|file': [{ step: 'model zip', output: 'output' }], image: [{ step: 'image', output: 'output' }] } });
    expect(wf.outputs).toEqual([{ label: 'probabilities', source: { step: '2', output: 'prediction' } }]);
    // Written back, the conditional is nested again as Galaxy keeps it.
    const state = JSON.parse((JSON.parse(writeNative(wf)) as { steps: Record<string, { tool_state: string }> }).steps['2'].tool_state) as Record<string, unknown>;
    expect(state.model).toEqual({ source: 'dataset', file: { __class__: 'ConnectedValue' } });
    // Every field of the tool's form is filled, as Galaxy wants it before it runs the step.
    expect(state).toMatchObject({ channels: '0', device: 'cpu', tile: null, output: '', ngff: '0.5', fair: { license: '', organism: '' } });
  });

  it('writes node spellings in Galaxy\'s form names', () => {
    const wf = parseGxformat2('class: GalaxyWorkflow\nlabel: x\ninputs:\n  m: data\n  i: data\noutputs: {}\nsteps:\n  p:\n    tool_id: fairio_bioimageio_predict\n    in:\n      model: m\n      image: i\n');
    expect(writeGxformat2(wf)).toContain('      model|file: m\n');
  });

  it.each([
    ['not YAML', 'class: [', 'gxwf', /is not YAML/],
    ['no class', 'label: x\nsteps: {}\n', 'gxwf', /class: GalaxyWorkflow/],
    ['a subworkflow', 'class: GalaxyWorkflow\ninputs: {}\noutputs: {}\nsteps:\n  sub:\n    run: other.gxwf.yml\n    type: subworkflow\n', 'gxwf', /subworkflows.*not supported/],
    ['a step without tool', 'class: GalaxyWorkflow\ninputs: {}\noutputs: {}\nsteps:\n  s:\n    in: {}\n', 'gxwf', /step "s" has no tool_id/],
    ['not a Galaxy .ga', '{"name": "x"}', 'ga', /a_galaxy_workflow/],
    ['a connection to no step', JSON.stringify({ a_galaxy_workflow: 'true', steps: { '0': { id: 0, type: 'tool', tool_id: 'fairio_label', input_connections: { mask: { id: 7, output_name: 'x' } } } } }), 'ga', /step 7, which does not exist/],
    ['two steps with one label', JSON.stringify({ a_galaxy_workflow: 'true', steps: { '0': { id: 0, type: 'data_input', label: 'a' }, '1': { id: 1, type: 'data_input', label: 'a' } } }), 'ga', /labelled "a"/],
  ] as const)('refuses %s, naming the file', (_, text, format, message) => {
    expect(() => parseWorkflow(text, format, 'bad.wf')).toThrow(message);
    expect(() => parseWorkflow(text, format, 'bad.wf')).toThrow(/^bad\.wf: /);
  });

  it('writes the same workflow the same way in either format, whatever the order it was read in', () => {
    const a = parseGxformat2('class: GalaxyWorkflow\nlabel: x\ninputs:\n  m: data\noutputs: {}\nsteps:\n  t:\n    tool_id: fairio_threshold\n    in:\n      image: m\n    state:\n      method: otsu\n      channel: 1\n');
    const b = parseGxformat2('class: GalaxyWorkflow\nlabel: x\ninputs:\n  m: data\noutputs: {}\nsteps:\n  t:\n    tool_id: fairio_threshold\n    state:\n      channel: 1\n      method: otsu\n    in:\n      image: m\n');
    expect(writeWorkflowText(a, 'gxwf')).toBe(writeWorkflowText(b, 'gxwf'));
    expect(writeWorkflowText(a, 'ga')).toBe(writeWorkflowText(b, 'ga'));
  });
});
