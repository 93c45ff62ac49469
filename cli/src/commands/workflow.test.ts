/**
 * `fairio workflow run | export | lint | test` through the real command line:
 * the nuclei example runs and a second run reuses every step, exports
 * convert between formats and package a crate, lint exits 1 naming the
 * step, and a failed run exits 1 with its crate written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleDir, exampleWorkflow, parseWorkflow, readWorkflow } from '@fairio/workflows';
import { runInProcess } from '../run-in-process.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-workflow-cli-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const nuclei = exampleWorkflow('nuclei-segmentation');
const data = path.join(exampleDir('nuclei-segmentation'), 'test-data');
const inputs = [`image=${path.join(data, 'nuclei.ome.tiff')}`, `model=${path.join(data, 'nuclei-model.zip')}`];

describe('fairio workflow', () => {
  it('run: runs the nuclei example, prints its outputs and crate; a second run reuses every step', async () => {
    const outdir = path.join(work, 'run');
    const first = await runInProcess(['workflow', 'run', nuclei, ...inputs, '--outdir', outdir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^done in [\d.]+ s; 5 steps ran, 0 steps reused/);
    expect(first.stdout).toContain(`measurements: ${path.join(outdir, 'measure', 'table.csv')}`);
    expect(first.stdout).toContain(`run crate: ${path.join(outdir, 'ro-crate-metadata.json')}`);
    expect(first.stderr).toMatch(/✓ measure +done in/);
    const second = await runInProcess(['workflow', 'run', nuclei, ...inputs, '--outdir', outdir, '--json']);
    const result = JSON.parse(second.stdout) as { status: string; steps: { status: string }[] };
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => s.status)).toEqual(['cached', 'cached', 'cached', 'cached', 'cached']);
  });

  it('run: a job file gives the inputs; a failing step exits 1 and still leaves the crate', async () => {
    const job = path.join(work, 'job.yml');
    fs.writeFileSync(job, `image:\n  class: File\n  path: ${path.join(data, 'nuclei.ome.tiff')}\nmodel:\n  class: File\n  path: ${path.join(data, 'nuclei.ome.tiff')}\n`);
    const outdir = path.join(work, 'failed');
    const failed = await runInProcess(['workflow', 'run', nuclei, '--job', job, '--outdir', outdir]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/✗ predict +failed:/);
    expect(failed.stderr).toMatch(/– threshold +skipped: step "predict" failed/);
    expect(failed.stderr).toMatch(/fairio: error: step "predict" failed/);
    expect(fs.readFileSync(path.join(outdir, 'ro-crate-metadata.json'), 'utf8')).toContain('FailedActionStatus');
  });

  it('export: .gxwf.yml → .ga → .gxwf.yml gives the source back; crate writes a Workflow RO-Crate with a creator', async () => {
    const ga = path.join(work, 'nuclei.ga');
    const gxwf = path.join(work, 'nuclei.gxwf.yml');
    expect((await runInProcess(['workflow', 'export', nuclei, '--format', 'ga', '-o', ga])).code).toBe(0);
    expect((await runInProcess(['workflow', 'export', ga, '--format', 'gxwf', '-o', gxwf])).code).toBe(0);
    expect(fs.readFileSync(gxwf, 'utf8')).toBe(fs.readFileSync(nuclei, 'utf8'));
    expect(parseWorkflow(fs.readFileSync(ga, 'utf8'), 'ga').steps).toHaveLength(readWorkflow(nuclei).steps.length);
    const again = await runInProcess(['workflow', 'export', nuclei, '--format', 'ga', '-o', ga]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists \(use --overwrite/);
    const zip = path.join(work, 'nuclei.crate.zip');
    const crate = await runInProcess(['workflow', 'export', nuclei, '--format', 'crate', '-o', zip, '--creator', 'Josiah Carberry <0000-0002-1825-0097>', '--json']);
    expect(crate.code, crate.stderr).toBe(0);
    expect((JSON.parse(crate.stdout) as { files: string[] }).files).toContain('nuclei-segmentation.ga');
    const bad = await runInProcess(['workflow', 'export', nuclei, '--format', 'crate', '-o', path.join(work, 'x.crate.zip'), '--creator', 'Someone <0000-0002-1825-0098>']);
    expect(bad.stderr).toMatch(/wrong check digit/);
  });

  it('lint: exits 1 and names the step for a missing tool, a cycle and mis-connected datatypes', async () => {
    const file = path.join(work, 'broken.gxwf.yml');
    fs.writeFileSync(
      file,
      'class: GalaxyWorkflow\nlabel: Broken\ninputs:\n  image: data\noutputs: {}\nsteps:\n  blur:\n    tool_id: fairio_blur\n    in:\n      image: image\n  threshold:\n    tool_id: fairio_threshold\n    in:\n      image: measure/table\n  label:\n    tool_id: fairio_label\n    in:\n      mask: threshold/mask\n  measure:\n    tool_id: fairio_measure\n    in:\n      labels: label/labels\n',
    );
    const result = await runInProcess(['workflow', 'lint', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/INVALID/);
    expect(result.stdout).toMatch(/✗ \[unknown-tool\] blur: step "blur": tool "fairio_blur" is not a fairio tool/);
    expect(result.stdout).toMatch(/✗ \[cycle\] threshold: steps "threshold" → "label" → "measure" → "threshold" form a cycle/);
    expect(result.stdout).toMatch(/✗ \[datatype-mismatch\] threshold: step "threshold": input "image" takes ome-zarr, but "measure\/table" gives csv/);
    const clean = await runInProcess(['workflow', 'lint', nuclei, '--strict', '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ valid: true, findings: [] });
  });

  it('test: runs the example\'s planemo tests locally', async () => {
    const result = await runInProcess(['workflow', 'test', nuclei, '--outdir', path.join(work, 'tests'), '-q']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^✓ test 1: The six nuclei/);
  });
});
