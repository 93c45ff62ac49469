/**
 * The three example workflows with the real nodes: each passes its own
 * planemo tests under the local runner; the nuclei workflow run again with a
 * changed threshold redoes only the threshold and what follows (and its
 * crate says so); and each exported `.crate.zip` is accepted by
 * roc-validator as a Workflow RO-Crate 1.0 and, unpacked, by
 * `planemo workflow_lint --iwc`, while the run crates pass as Workflow Run
 * and Provenance Run Crates.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { extractCrate } from '@fairio/provenance';
import { hasImageJ } from '../../tests/helpers/imagej.js';
import { hasPython, missing, projectRoot } from '../../tests/helpers/reference.js';
import { describeIssues, hasRocValidator, rocValidate, type RocJob } from '../../tests/helpers/rocrate.js';
import { EXAMPLES, exampleDir, exampleWorkflow, type ExampleName } from './examples.js';
import { exportWorkflowCrate } from './export/crate.js';
import { readWorkflow } from './formats/index.js';
import { runWorkflow } from './runner/run.js';
import { jobInputs } from './runner/values.js';
import { readTests, runWorkflowTests, testsFileFor } from './testing.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-workflow-examples-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const planemo = path.join(projectRoot, '.venv', 'bin', 'planemo');
const needs = (name: ExampleName) => (name === 'fiji-measurement' ? missing('ImageJ, Java and xvfb-run (scripts/setup.sh)', hasImageJ) : false);

describe('example workflows', () => {
  it.each(EXAMPLES)('%s passes its planemo tests under the local runner', async (name) => {
    if (needs(name)) return;
    const results = await runWorkflowTests(exampleWorkflow(name), { outdir: path.join(work, `test-${name}`) });
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.failures, r.doc).toEqual([]);
  });

  it('nuclei segmentation: a changed threshold redoes threshold, label and measure only, and the crate says which steps were reused', async () => {
    const file = exampleWorkflow('nuclei-segmentation');
    const workflow = readWorkflow(file);
    const inputs = jobInputs(readTests(testsFileFor(file)!)[0].job, exampleDir('nuclei-segmentation'));
    const outdir = path.join(work, 'rerun');
    const timed = async (threshold: number) => {
      const started = performance.now();
      const result = await runWorkflow(workflow, { workflowFile: file, inputs: { ...inputs, probability_threshold: threshold }, outdir });
      return { result, seconds: ((performance.now() - started) / 1000).toFixed(2) };
    };
    const first = await timed(0.5);
    const again = (await timed(0.5)).result;
    const changed = await timed(0.7);
    console.log(`nuclei segmentation, wall time with crate: first run ${first.seconds} s, unchanged re-run ${(await timed(0.7)).seconds} s, threshold changed ${changed.seconds} s`);
    expect(again.steps.every((s) => s.status === 'cached')).toBe(true);
    expect(Object.fromEntries(changed.result.steps.map((s) => [s.step, s.status]))).toEqual({ convert: 'cached', predict: 'cached', threshold: 'completed', label: 'completed', measure: 'completed' });
    const graph = (JSON.parse(fs.readFileSync(path.join(outdir, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': { '@id': string; name?: string; description?: string }[] })['@graph'];
    const runs = graph.filter((e) => /^Run of /.test(e.name ?? '') && e['@id'].startsWith('#run-'));
    expect(runs).toHaveLength(4);
    const reused = (run: string) => graph.filter((e) => e['@id'].startsWith(`${run}-step-`) && /^Not run again/.test(e.description ?? '')).map((e) => e['@id'].slice(run.length + 6)).sort();
    expect(reused(runs[0]['@id'])).toEqual([]);
    expect(reused(runs[1]['@id'])).toEqual(['convert', 'label', 'measure', 'predict', 'threshold']);
    expect(reused(runs[2]['@id'])).toEqual(['convert', 'predict']);
  });
});

describe.skipIf(missing('roc-validator and planemo (.venv)', hasPython && hasRocValidator && fs.existsSync(planemo)))('exported Workflow RO-Crates and run crates', () => {
  it('roc-validator accepts every .crate.zip as workflow-ro-crate-1.0 and the runs as workflow-run-crate-0.5 / provenance-run-crate-0.5; planemo workflow_lint --iwc passes on each unpacked crate', async () => {
    const jobs: RocJob[] = [];
    const unpacked: string[] = [];
    for (const name of EXAMPLES) {
      const zip = path.join(work, `${name}.crate.zip`);
      const written = await exportWorkflowCrate({ workflowFile: exampleWorkflow(name), output: zip, creators: [{ class: 'Person', name: 'Josiah Carberry', identifier: 'https://orcid.org/0000-0002-1825-0097' }] });
      expect(written.files).toEqual(expect.arrayContaining(['ro-crate-metadata.json', `${name}.ga`, `${name}-tests.yml`, 'README.md', 'CHANGELOG.md', '.dockstore.yml']));
      jobs.push([zip, 'workflow-ro-crate-1.0', 'REQUIRED']);
      const dir = path.join(work, 'unpacked', name);
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      await extractCrate(zip, dir);
      unpacked.push(dir);
    }
    const run = path.join(work, 'validated-run');
    const file = exampleWorkflow('nuclei-segmentation');
    await runWorkflow(readWorkflow(file), { workflowFile: file, inputs: jobInputs(readTests(testsFileFor(file)!)[0].job, exampleDir('nuclei-segmentation')), outdir: run, agent: { name: 'Josiah Carberry', orcid: '0000-0002-1825-0097' } });
    jobs.push([run, 'workflow-run-crate-0.5', 'REQUIRED'], [run, 'provenance-run-crate-0.5', 'REQUIRED']);
    for (const result of await rocValidate(jobs)) {
      expect(result.passed, `${result.crate} ${result.profile}:\n${describeIssues(result)}`).toBe(true);
      expect(result.refused).toEqual([]);
    }
    const { stdout } = await promisify(execFile)(planemo, ['workflow_lint', '--iwc', ...unpacked], { timeout: 180_000, env: { ...process.env, PLANEMO_GLOBAL_WORKSPACE: path.join(work, 'planemo') } }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`planemo workflow_lint --iwc failed:\n${error.stdout}\n${error.stderr}`);
    });
    expect(stdout.split('\n').filter((l) => /WARNING|ERROR/.test(l))).toEqual([]);
    expect(stdout).toContain('Tests appear structurally correct');
  }, 240_000);
});
