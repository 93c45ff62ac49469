/** `fairio model validate|test|package` and `fairio predict` through the real CLI code path. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, missing, shared } from '../../../tests/helpers/reference.js';
import { runInProcess } from '../run-in-process.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-model-cli-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const unet = shared('bioimageio', 'models', 'unet2d_nuclei_broad');

describe('fairio model', () => {
  it('package --demo writes a package that validate and test accept', async () => {
    const demo = path.join(work, 'demo');
    expect((await runInProcess(['model', 'package', '--demo', '-o', demo])).code).toBe(0);
    const validate = await runInProcess(['model', 'validate', demo, '--json']);
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, name: 'fairio nuclei demo' });
    const test = await runInProcess(['model', 'test', demo]);
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/PASSED/);
  });

  it('predict on the sample, channel 0 (DAPI), as npm start runs it', async () => {
    const demo = path.join(work, 'demo');
    if (!fs.existsSync(demo)) expect((await runInProcess(['model', 'package', '--demo', '-o', demo])).code).toBe(0);
    expect((await runInProcess(['sample', path.join(work, 's.ome.tiff')])).code).toBe(0);
    expect((await runInProcess(['convert', path.join(work, 's.ome.tiff'), path.join(work, 's.ome.zarr'), '-q'])).code).toBe(0);
    const run = await runInProcess(['predict', '--model', demo, path.join(work, 's.ome.zarr'), path.join(work, 'nuclei.ome.zarr'), '--channels', '0', '--json', '-q']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { record: { software: { name: string; version: string }[] }; summary: { model: { descriptionSha256: string } } };
    expect(out.record.software.map((s) => s.name)).toContain('ONNX Runtime (onnxruntime-node)');
    expect(out.summary.model.descriptionSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.skipIf(missing('shared bioimage.io data', hasSharedData && fs.existsSync(unet)))('test passes the shared U-Net; validate rejects the duplicate names with exit 1', async () => {
    const test = await runInProcess(['model', 'test', path.join(unet, 'bioimageio.yaml'), '--json']);
    expect(test.code).toBe(0);
    expect(JSON.parse(test.stdout)).toMatchObject({ passed: true });
    const bad = await runInProcess(['model', 'validate', path.join(unet, 'invalid_v0_4_0_duplicate_tensor_names.bioimageio.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/duplicate-tensor-id.*"data"/);
  });
});
