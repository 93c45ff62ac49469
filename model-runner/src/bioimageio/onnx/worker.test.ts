/**
 * The ONNX Runtime session on a worker thread (what `predict` uses): the
 * same numbers as a session on this thread, runs in call order, input
 * buffers moved rather than copied (and handed back after the run), and a model that does not load refused
 * with ONNX Runtime's reason.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FairioError } from '@fairio/ngff';
import { demoModel } from '../__fixtures__/helpers.js';
import { demoTestInput } from '../package/package-model.js';
import { loadModel } from '../spec/validate.js';
import { openOnnxModel } from './node.js';
import { openOnnxWorker } from './worker.js';

describe('openOnnxWorker', () => {
  it('runs the demo model as a session on this thread does, in call order, moving the inputs', async () => {
    const { model, package: pkg } = await loadModel(await demoModel());
    const weights = await pkg.localPath(model.onnx!.source);
    const here = await openOnnxModel(weights);
    const worker = await openOnnxWorker(weights, { spinning: false });
    try {
      expect([worker.inputCount, worker.outputCount]).toEqual([here.inputCount, here.outputCount]);
      const input = demoTestInput();
      const scaled = { ...input, data: (input.data as Float32Array).map((v) => v * 0.5) };
      const [expected, expectedScaled] = [(await here.run([input]))[0], (await here.run([scaled]))[0]];
      const copies = [input, scaled, input].map((t) => ({ ...t, data: (t.data as Float32Array).slice() }));
      const given = copies.map((t) => t.data.buffer);
      const results = await Promise.all(copies.map((t) => worker.run([t])));
      for (const b of given) expect(b.byteLength).toBe(0); // moved to the worker, not copied
      // …and handed back after the run, unchanged, for the caller to refill.
      copies.forEach((t, i) => expect(Buffer.from(t.data.buffer).equals(Buffer.from([input, scaled, input][i].data.buffer))).toBe(true));
      expect(results.map(([r]) => r.shape)).toEqual([expected.shape, expected.shape, expected.shape]);
      expect(Buffer.from(results[0][0].data.buffer).equals(Buffer.from(expected.data.buffer))).toBe(true);
      expect(Buffer.from(results[1][0].data.buffer).equals(Buffer.from(expectedScaled.data.buffer))).toBe(true);
      expect(Buffer.from(results[2][0].data.buffer).equals(Buffer.from(expected.data.buffer))).toBe(true);
    } finally {
      await here.release();
      await worker.release();
    }
  });

  it('refuses a file that is not an ONNX model, with the reason', async () => {
    const bad = new Uint8Array(fs.readFileSync(new URL(import.meta.url)));
    const error = await openOnnxWorker(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FairioError);
    expect((error as FairioError).message).toMatch(/ONNX Runtime cannot load the model/);
  });
});
