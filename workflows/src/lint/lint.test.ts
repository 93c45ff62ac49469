/**
 * Lint refuses what cannot run and names the step: a tool fairio does not
 * have, a cycle, datatypes or parameters that do not fit, a required input
 * left open. The examples lint clean, best practices included.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES, exampleWorkflow } from '../examples.js';
import { parseGxformat2, readWorkflow } from '../formats/index.js';
import { assertRunnable, lintWorkflow } from './index.js';

const HEAD = 'class: GalaxyWorkflow\nlabel: Broken\ndoc: A workflow with a problem.\nrelease: 0.1.0\nlicense: MIT\ncreator:\n  - class: Organization\n    name: fairio\n';
const lint = (body: string) => lintWorkflow(parseGxformat2(HEAD + body));
const errors = (body: string) => lint(body).findings.filter((f) => f.severity === 'error');

describe('workflow lint', () => {
  it.each(EXAMPLES)('finds nothing to say about the %s example', (name) => {
    expect(lintWorkflow(readWorkflow(exampleWorkflow(name))).findings).toEqual([]);
  });

  it('rejects a tool that is not a fairio tool, naming the step', () => {
    const found = errors('inputs:\n  image: data\noutputs: {}\nsteps:\n  blur:\n    tool_id: fairio_gaussian_blur\n    in:\n      image: image\n');
    expect(found).toEqual([expect.objectContaining({ code: 'unknown-tool', step: 'blur', message: expect.stringMatching(/step "blur": tool "fairio_gaussian_blur" is not a fairio tool \(known: fairio_convert, .*fairio_threshold/) })]);
  });

  it('rejects a cycle, naming the steps on it', () => {
    const found = errors(
      'inputs:\n  image: data\noutputs: {}\nsteps:\n  threshold:\n    tool_id: fairio_threshold\n    in:\n      image: measure/table\n  label:\n    tool_id: fairio_label\n    in:\n      mask: threshold/mask\n  measure:\n    tool_id: fairio_measure\n    in:\n      labels: label/labels\n      intensity: image\n',
    );
    const cycle = found.find((f) => f.code === 'cycle');
    expect(cycle?.message).toMatch(/steps "threshold" → "label" → "measure" → "threshold" form a cycle/);
    expect(cycle?.step).toBe('threshold');
  });

  it('rejects mis-connected datatypes, naming the step and both ends', () => {
    const found = errors(
      'inputs:\n  image:\n    type: data\n    format: [tiff]\noutputs: {}\nsteps:\n  convert:\n    tool_id: fairio_convert\n    in:\n      input: image\n  measure:\n    tool_id: fairio_measure\n    in:\n      labels: convert/output\n  threshold:\n    tool_id: fairio_threshold\n    in:\n      image: measure/table\n',
    );
    expect(found).toEqual([
      expect.objectContaining({ code: 'datatype-mismatch', step: 'threshold', message: 'step "threshold": input "image" takes ome-zarr, but "measure/table" gives csv' }),
    ]);
  });

  it('rejects a workflow input of the wrong Galaxy datatype and a parameter wired to data', () => {
    const found = errors(
      'inputs:\n  table:\n    type: data\n    format: [csv]\n  level: float\noutputs: {}\nsteps:\n  threshold:\n    tool_id: fairio_threshold\n    in:\n      image: table\n      channel: level\n',
    );
    expect(found.map((f) => [f.code, f.step])).toEqual([
      ['datatype-mismatch', 'threshold'],
      ['datatype-mismatch', 'threshold'],
    ]);
    expect(found[0].message).toMatch(/input "image" takes ome-zarr, but "table" gives csv/);
    expect(found[1].message).toMatch(/parameter "channel" is a integer, but "level" is a float parameter/);
  });

  it('rejects unknown inputs and parameters, bad values, open required inputs and dangling sources', () => {
    const found = errors(
      'inputs:\n  image: data\noutputs:\n  out:\n    outputSource: label/nothing\nsteps:\n  threshold:\n    tool_id: fairio_threshold\n    in:\n      picture: image\n    state:\n      method: triangle\n      sigma: 2\n  label:\n    tool_id: fairio_label\n    in:\n      mask: ghost/mask\n',
    );
    expect(found.map((f) => `${f.code} ${f.step ?? ''}`).sort()).toEqual(
      ['dangling-source label', 'invalid-parameter threshold', 'missing-input threshold', 'output-source label', 'unknown-input threshold', 'unknown-parameter threshold'].sort(),
    );
    expect(found.find((f) => f.code === 'invalid-parameter')?.message).toMatch(/"method" must be one of otsu, manual, not "triangle"/);
  });

  it('accepts Galaxy form names (conditionals, FAIR section) and node names alike', () => {
    const found = errors(
      'inputs:\n  model: data\n  image: data\noutputs: {}\nsteps:\n  predict:\n    tool_id: fairio_bioimageio_predict\n    in:\n      model|file: model\n      image: image\n    state:\n      model|source: dataset\n      fair|license: CC-BY-4.0\n',
    );
    expect(found).toEqual([]);
  });

  it('warns where IWC\'s best practices are not met', () => {
    const report = lintWorkflow(parseGxformat2('class: GalaxyWorkflow\ninputs:\n  image: data\n  unused: data\noutputs: {}\nsteps:\n  t:\n    tool_id: fairio_threshold\n    tool_version: 9.9\n    in:\n      image: image\n'));
    expect(report.valid).toBe(true);
    expect(report.findings.map((f) => f.code).sort()).toEqual(
      ['no-annotation', 'no-creator', 'no-license', 'no-outputs', 'no-release', 'step-no-annotation', 'step-no-annotation', 'step-no-annotation', 'tool-version', 'unused-input'].sort(),
    );
  });

  it('assertRunnable throws one error listing every problem', () => {
    expect(() => assertRunnable(parseGxformat2(`${HEAD}inputs: {}\noutputs: {}\nsteps:\n  x:\n    tool_id: nope\n`))).toThrow(/the workflow cannot run: \[unknown-tool\] step "x"/);
  });
});
