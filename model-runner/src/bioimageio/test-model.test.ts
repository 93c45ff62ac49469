import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPython, hasSharedData, missing, projectRoot, python } from '../../../tests/helpers/reference.js';
import { demoModel, UNET_DIR } from './__fixtures__/helpers.js';
import { testModel } from './test-model.js';

const skip = missing('shared bioimage.io data', hasSharedData && fs.existsSync(UNET_DIR));

describe.skipIf(skip)('fairio model test: the model reproduces its own test tensors', () => {
  it.each(['bioimageio.yaml', 'v0_4_9.bioimageio.yaml', 'v0_4_0.bioimageio.yaml'])('the shared U-Net, %s', async (name) => {
    const result = await testModel(path.join(UNET_DIR, name));
    expect(result.passed).toBe(true);
    const [out] = result.outputs;
    console.info(`${name}: max |diff| ${out.maxAbsDiff.toExponential(2)}, ${out.mismatchedPerMillion} mismatches per million`);
    expect(out.mismatched).toBe(0);
    expect(out.maxAbsDiff).toBeLessThan(1e-5);
    expect(result.onnxRuntime).toBe('1.30.0');
  });

  it('refuses the description with duplicate tensor names before running', async () => {
    await expect(testModel(path.join(UNET_DIR, 'invalid_v0_4_0_duplicate_tensor_names.bioimageio.yaml'))).rejects.toThrow(/tensor id "data" is used twice/);
  });

  it('reports a model without ONNX weights as unsupported', async () => {
    await expect(testModel(path.join(UNET_DIR, 'expand_output_shape.bioimageio.yaml'))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

describe('the demo model package', () => {
  it('passes fairio model test', async () => {
    const result = await testModel(await demoModel());
    expect(result.passed).toBe(true);
    expect(result.outputs[0].maxAbsDiff).toBe(0);
  });

  it.skipIf(missing('bioimageio.core in .venv', hasPython))('passes bioimageio.spec validation and bioimageio.core test_model', async () => {
    const dir = await demoModel();
    const out = await python(`import runpy, sys; sys.argv = ['ref', 'test', sys.argv[1]]; runpy.run_path(${JSON.stringify(path.join(projectRoot, 'tests/helpers/bioimageio_reference.py'))}, run_name='__main__')`, [path.join(dir, 'rdf.yaml')]);
    const report = JSON.parse(out.trim().split('\n').pop()!) as { status: string; details: { name: string; status: string; errors: string[] }[] };
    const failed = report.details.filter((d) => d.status === 'failed');
    expect(failed).toEqual([]);
    expect(report.details.some((d) => /reproduce test outputs/i.test(d.name) && d.status === 'passed')).toBe(true);
  });
});
