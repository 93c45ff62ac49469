import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { arraySource, openOmeZarr, writeImage } from '@fairio/ngff';
import { runNode } from '../run.js';
import { demoModel, tempDir } from './__fixtures__/helpers.js';
import { openOnnxModel } from './onnx/node.js';
import { predictNode } from './predict-node.js';
import { loadModel } from './spec/validate.js';
import { predictArrays } from './tiling/predict.js';

describe('fairio predict on OME-Zarr, chunk by chunk', () => {
  it('streams a z-stack slice by slice through the tiles and equals in-memory prediction; the record names ONNX Runtime and the model', async () => {
    const dir = tempDir('predict');
    const [C, Z, Y, X] = [2, 2, 200, 330];
    const data = new Uint16Array(C * Z * Y * X);
    for (let i = 0; i < data.length; i++) {
      const x = i % X;
      const y = Math.floor(i / X) % Y;
      const z = Math.floor(i / (X * Y)) % Z;
      const c = Math.floor(i / (X * Y * Z));
      data[i] = 100 + (c + 1) * 800 * Math.exp(-(((x - 80 - 40 * z) ** 2 + (y - 90) ** 2) / 200)) + ((x * 7 + y * 13) % 17);
    }
    const image = path.join(dir, 'cells.ome.zarr');
    await writeImage(image, arraySource(data, [C, Z, Y, X], 'uint16'), {
      axes: [{ name: 'c', type: 'channel' }, { name: 'z', type: 'space' }, { name: 'y', type: 'space' }, { name: 'x', type: 'space' }],
      chunks: [1, 1, 64, 64],
      workers: 0,
    });
    const model = await demoModel();
    const out = path.join(dir, 'nuclei.ome.zarr');
    const { record, result } = await runNode(predictNode, { inputs: { model, image }, outputs: { prediction: out }, parameters: { channels: '1', tile: 96 }, workers: 1 });
    expect(record.status).toBe('completed');
    expect(record.software).toContainEqual(expect.objectContaining({ name: 'ONNX Runtime (onnxruntime-node)', version: '1.30.0' }));
    const summary = result.summary as { model: { name: string; descriptionSha256: string; weightsSha256: string }; samples: number; tileShape: number[] };
    expect(summary.model.name).toBe('fairio nuclei demo');
    expect(summary.model.descriptionSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.samples).toBe(2);
    expect(summary.tileShape).toEqual([1, 1, 96, 96]);

    const written = await (await openOmeZarr(out)).image();
    expect(written.axisNames).toEqual(['c', 'z', 'y', 'x']);
    expect(written.levels[0].shape).toEqual([1, Z, Y, X]);
    expect(written.levels[0].chunks).toEqual([1, 1, 64, 64]);
    const { model: spec, package: pkg } = await loadModel(model);
    const onnx = await openOnnxModel(await pkg.localPath(spec.onnx!.source));
    try {
      for (let z = 0; z < Z; z++) {
        const plane = data.subarray((1 * Z + z) * Y * X, (1 * Z + z + 1) * Y * X);
        const [expected] = await predictArrays(spec, onnx, [{ data: Uint16Array.from(plane), shape: [1, 1, Y, X], dtype: 'uint16' }], { tile: 0 });
        const { data: got } = await written.readRegion({ select: { z } });
        let max = 0;
        for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(Number(got[i]) - Number(expected.data[i])));
        expect(max).toBeLessThanOrEqual(1e-5);
      }
    } finally {
      await onnx.release();
    }
  });

  it('asks for a channel when the image has more than the model takes', async () => {
    const dir = tempDir('predict-c');
    const image = path.join(dir, 'two.ome.zarr');
    await writeImage(image, arraySource(new Uint8Array(2 * 64 * 64), [2, 64, 64], 'uint8'), { axes: [{ name: 'c', type: 'channel' }, { name: 'y', type: 'space' }, { name: 'x', type: 'space' }], workers: 0 });
    await expect(runNode(predictNode, { inputs: { model: await demoModel(), image }, outputs: { prediction: path.join(dir, 'out.ome.zarr') }, parameters: {} })).rejects.toThrow(/--channels/);
  });
});
