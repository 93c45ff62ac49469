/**
 * The local runner on small text nodes: dependency order with independent
 * steps in parallel (never more than asked), map-over and reduction of a
 * list, reuse of unchanged steps (a changed parameter or input redoes only
 * what depends on it, and the crate says which steps were reused), and a
 * failing step that stops its dependants while the rest finish, recorded
 * in a crate the RO-Crate community's validator accepts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { describeIssues, hasRocValidator, rocValidate } from '../../../tests/helpers/rocrate.js';
import { missing } from '../../../tests/helpers/reference.js';
import { parseGxformat2 } from '../formats/index.js';
import { resetStats, stats, TEXT_WORKFLOW, textTools } from './__fixtures__/text-nodes.js';
import { runWorkflow, type RunEvent, type RunWorkflowOptions } from './run.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-workflow-run-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function text(name: string, content: string): string {
  const file = path.join(work, 'inputs', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${content}\n`);
  return file;
}

const workflow = parseGxformat2(TEXT_WORKFLOW);
const inputs = () => ({ a: text('a.txt', 'alpha'), b: text('b.txt', 'beta'), list: [text('one.csv', 'one'), text('two.csv', 'two')] });
const run = (outdir: string, extra: Partial<RunWorkflowOptions> = {}) => runWorkflow(workflow, { inputs: inputs(), outdir: path.join(work, outdir), tools: textTools, ...extra });

interface CrateEntity {
  '@id': string;
  '@type': string | string[];
  name?: string;
  description?: string;
  actionStatus?: string | { '@id': string };
  error?: string;
}
const crateOf = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': CrateEntity[] })['@graph'];
const status = (e: CrateEntity | undefined) => (typeof e?.actionStatus === 'object' ? e.actionStatus['@id'] : e?.actionStatus);

beforeEach(() => resetStats());

describe('runWorkflow', () => {
  it('runs steps in dependency order, independent ones in parallel, never more than asked', async () => {
    const events: RunEvent[] = [];
    const result = await run('order', { parallel: 2, onEvent: (e) => events.push(e) });
    expect(result.status).toBe('completed');
    const done = events.filter((e) => e.type === 'done').map((e) => e.step);
    expect(done.indexOf('join')).toBeGreaterThan(Math.max(done.indexOf('up_a'), done.indexOf('up_b')));
    expect(done.lastIndexOf('each')).toBeLessThan(done.indexOf('all'));
    expect(stats.maxActive).toBe(2);
    expect(fs.readFileSync(path.join(result.outdir, 'join', 'out.csv'), 'utf8')).toBe('ALPHA\nBETA\n');
    expect(stats.runs.filter((r) => r.startsWith('upper')).length).toBe(4);
  });

  it('runs one job at a time with parallel 1', async () => {
    await run('serial', { parallel: 1 });
    expect(stats.maxActive).toBe(1);
  });

  it('maps a step over a list (outputs keep the element names) and hands a list whole to an input that takes several', async () => {
    const result = await run('map');
    expect(result.outputs.each_out).toEqual({
      kind: 'list',
      elements: [
        { identifier: 'one', path: path.join(result.outdir, 'each', 'out', 'one.csv') },
        { identifier: 'two', path: path.join(result.outdir, 'each', 'out', 'two.csv') },
      ],
    });
    expect(fs.readFileSync(path.join(result.outdir, 'all', 'out.csv'), 'utf8')).toBe('ONE\nTWO\n');
    expect(result.steps.find((s) => s.step === 'each')?.jobs.map((j) => j.element)).toEqual(['one', 'two']);
  });

  it('reuses unchanged steps: a second run runs nothing; a changed parameter or input redoes only what depends on it', async () => {
    const first = await run('cache');
    const firstSeconds = first.endTime.getTime() - first.startTime.getTime();
    resetStats();
    const again = await run('cache');
    expect(stats.runs).toEqual([]);
    expect(again.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached', 'cached', 'cached']);
    expect(again.endTime.getTime() - again.startTime.getTime()).toBeLessThan(firstSeconds);

    resetStats();
    const changed = await runWorkflow(workflow, { inputs: { ...inputs(), suffix: '!' }, outdir: path.join(work, 'cache'), tools: textTools });
    expect(Object.fromEntries(changed.steps.map((s) => [s.step, s.status]))).toEqual({ up_a: 'completed', up_b: 'cached', join: 'completed', each: 'cached', all: 'cached' });
    expect(fs.readFileSync(path.join(changed.outdir, 'join', 'out.csv'), 'utf8')).toBe('ALPHA!\nBETA\n');

    // Only one element of the list changed: only its job runs again.
    resetStats();
    text('two.csv', 'deux');
    const element = await runWorkflow(workflow, { inputs: { ...inputs(), list: [path.join(work, 'inputs', 'one.csv'), text('two.csv', 'deux')], suffix: '!' }, outdir: path.join(work, 'cache'), tools: textTools });
    expect(stats.runs.sort()).toEqual(['concat', 'upper:deux']);
    expect(element.steps.find((s) => s.step === 'each')?.jobs.map((j) => j.status)).toEqual(['cached', 'completed']);

    // The crate holds the four runs; in the last, reused steps say so and keep their earlier times.
    const graph = crateOf(changed.outdir);
    const runs = graph.filter((e) => e['@type'] === 'CreateAction' && /^Run of /.test(e.name ?? ''));
    expect(runs).toHaveLength(4);
    const last = runs[3]['@id'];
    const step = (s: string) => graph.find((e) => e['@id'] === `${last}-step-${s}`);
    expect(step('each')?.description).toMatch(/^Not run again: 1 of 2 elements reused/);
    expect(step('up_a')?.description).toMatch(/^Not run again: its outputs reused/);
    expect(step('all')?.description).not.toMatch(/Not run again/);
  });

  it('runs everything again with cache off, and when a reused output was changed on disk', async () => {
    await run('nocache');
    resetStats();
    await run('nocache', { cache: false });
    expect(stats.runs).toHaveLength(6);
    resetStats();
    fs.writeFileSync(path.join(work, 'nocache', 'up_a', 'out.csv'), 'tampered\n');
    await run('nocache');
    // up_a runs again and writes what it wrote before, so join's inputs have the same content: join is reused.
    expect(stats.runs).toEqual(['upper:alpha']);
  });

  it('a failing step stops its dependants, the other steps finish, and the crate records the failure', async () => {
    const events: RunEvent[] = [];
    const result = await runWorkflow(workflow, { inputs: { ...inputs(), fail_b: true }, outdir: path.join(work, 'fail'), tools: textTools, onEvent: (e) => events.push(e) });
    expect(result.status).toBe('failed');
    expect(Object.fromEntries(result.steps.map((s) => [s.step, s.status]))).toEqual({ up_a: 'completed', up_b: 'failed', join: 'skipped', each: 'completed', all: 'completed' });
    expect(result.error).toBe('step "up_b" failed: upper was told to fail');
    expect(events).toContainEqual({ type: 'skipped', step: 'join', reason: 'step "up_b" failed' });
    expect(fs.existsSync(path.join(result.outdir, 'up_a', 'out.csv'))).toBe(true);
    expect(fs.existsSync(path.join(result.outdir, 'all', 'out.csv'))).toBe(true);
    const graph = crateOf(result.outdir);
    const main = graph.find((e) => e['@type'] === 'CreateAction' && /^Run of /.test(e.name ?? ''))!;
    expect(status(main)).toBe('http://schema.org/FailedActionStatus');
    expect(main.description).toMatch(/not run because an earlier step failed: "join"/);
    const failed = graph.find((e) => e['@id'] === `${main['@id']}-step-up_b`);
    expect(status(failed)).toBe('http://schema.org/FailedActionStatus');
    expect(failed?.error).toBe('upper was told to fail');
    expect(graph.find((e) => e['@id'] === `${main['@id']}-step-join`)).toBeUndefined();
    // Fixed, the next run redoes the failed step and its dependants only.
    resetStats();
    const fixed = await run('fail');
    expect(fixed.status).toBe('completed');
    expect(stats.runs.sort()).toEqual(['concat', 'upper:beta']);
  });

  it('refuses lists with different elements mapped together, and missing or unknown inputs before running anything', async () => {
    const paired = parseGxformat2('class: GalaxyWorkflow\nlabel: p\ninputs:\n  l: collection\n  r: collection\noutputs: {}\nsteps:\n  p:\n    tool_id: fairio_pair\n    in:\n      left: l\n      right: r\n');
    const result = await runWorkflow(paired, { inputs: { l: [text('x.csv', 'x')], r: [text('y.csv', 'y')] }, outdir: path.join(work, 'pair'), tools: textTools, crate: false });
    expect(result.steps[0].error).toMatch(/inputs "left" and "right" are lists with different elements \(x \/ y\)/);
    const ok = await runWorkflow(paired, { inputs: { l: [text('x.csv', 'x')], r: [{ identifier: 'x', path: text('y.csv', 'y') }] }, outdir: path.join(work, 'pair'), tools: textTools, crate: false });
    expect(fs.readFileSync(path.join(ok.outdir, 'p', 'out', 'x.csv'), 'utf8')).toBe('x,y\n');
    await expect(runWorkflow(workflow, { inputs: { a: text('a.txt', 'a') }, outdir: path.join(work, 'x'), tools: textTools })).rejects.toThrow(/workflow input "b" is required/);
    await expect(runWorkflow(workflow, { inputs: { ...inputs(), c: 'x' }, outdir: path.join(work, 'x'), tools: textTools })).rejects.toThrow(/the workflow has no input "c"/);
    await expect(runWorkflow(workflow, { inputs: { ...inputs(), a: path.join(work, 'nope.txt') }, outdir: path.join(work, 'x'), tools: textTools })).rejects.toThrow(/nope.txt: workflow input "a" does not exist/);
  });
});

describe.skipIf(missing('roc-validator (.venv)', hasRocValidator))('run crates', () => {
  it('pass roc-validator as Workflow Run Crate and Provenance Run Crate 0.5, completed and failed runs alike', async () => {
    await run('valid-ok');
    await runWorkflow(workflow, { inputs: { ...inputs(), fail_b: true }, outdir: path.join(work, 'valid-failed'), tools: textTools });
    const jobs = ['valid-ok', 'valid-failed'].flatMap((d) => ['workflow-run-crate-0.5', 'provenance-run-crate-0.5'].map((p) => [path.join(work, d), p, 'REQUIRED'] as [string, string, 'REQUIRED']));
    for (const result of await rocValidate(jobs)) {
      expect(result.passed, `${result.crate} ${result.profile}:\n${describeIssues(result)}`).toBe(true);
      expect(result.refused).toEqual([]);
    }
  }, 120_000);
});
