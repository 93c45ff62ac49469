import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPython, hasSharedData, missing, projectRoot, python } from '../../../../tests/helpers/reference.js';
import { demoModel, tempDir, UNET_DIR } from '../__fixtures__/helpers.js';
import { readNpy, writeNpy } from '../npy.js';
import { openOnnxModel } from '../onnx/node.js';
import { compareTensors } from '../reproduce.js';
import { loadModel } from '../spec/validate.js';
import { planTiles, tiles } from './plan.js';
import { predictArrays } from './predict.js';
import type { NdArray } from '../processing/tensor.js';
import { demoTestInput } from '../package/package-model.js';

/** A 2048×2048 image from the demo's synthetic input, mirrored 8×8. */
function mirrored(input: NdArray, times: number): NdArray {
  const [, , h, w] = input.shape;
  const H = h * times;
  const W = w * times;
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    const sy = Math.floor(y / h) % 2 ? h - 1 - (y % h) : y % h;
    for (let x = 0; x < W; x++) {
      const sx = Math.floor(x / w) % 2 ? w - 1 - (x % w) : x % w;
      out[y * W + x] = Number(input.data[sy * w + sx]);
    }
  }
  return { data: out, shape: [1, 1, H, W], dtype: 'float32' };
}

function maxAbsDiff(a: NdArray, b: NdArray, inset = 0): number {
  const [, , H, W] = a.shape;
  let max = 0;
  for (let y = inset; y < H - inset; y++) for (let x = inset; x < W - inset; x++) max = Math.max(max, Math.abs(Number(a.data[y * W + x]) - Number(b.data[y * W + x])));
  return max;
}

describe('tile plans follow bioimageio.core blocking', () => {
  it('inner parts of tile − 2·halo from 0, the last shifted back to the border', async () => {
    const { model } = await loadModel(await demoModel());
    const plan = planTiles(model, model.inputs[0], [1, 1, 1000, 700], { tile: 256 });
    expect(plan.tileShape).toEqual([1, 1, 256, 256]);
    const ys = [...tiles(plan)].filter((t) => t.innerStart[3] === 0).map((t) => [t.innerStart[2], t.innerStop[2], t.regionStart[2], t.ownStart[2], t.ownStop[2]]);
    // inner 224: 0, 224, 448, 672, then 776 (= 1000 − 224) for the last.
    expect(ys).toEqual([
      [0, 224, -16, 0, 224],
      [224, 448, 208, 224, 448],
      [448, 672, 432, 448, 672],
      [672, 896, 656, 672, 896],
      [776, 1000, 760, 896, 1000],
    ]);
    // A fixed-size model takes its static shape; the U-Net's 512 with halo 32 leaves 448 inside.
    if (fs.existsSync(UNET_DIR)) {
      const unet = (await loadModel(path.join(UNET_DIR, 'bioimageio.yaml'))).model;
      const p = planTiles(unet, unet.inputs[0], [1, 1, 2048, 2048], { tile: 300 });
      expect(p.tileShape).toEqual([1, 1, 512, 512]);
      expect(p.grid).toEqual([1, 1, 5, 5]);
    }
  });
});

describe('tiled prediction of a 2048×2048 image', () => {
  it('equals whole-image prediction (demo model) within 1e-4 on the interior', async () => {
    const { model, package: pkg } = await loadModel(await demoModel());
    const image = mirrored(demoTestInput(), 8);
    const onnx = await openOnnxModel(await pkg.localPath(model.onnx!.source));
    try {
      const [tiled] = await predictArrays(model, onnx, [image], { tile: 320 });
      const [whole] = await predictArrays(model, onnx, [image], { tile: 0 });
      const interior = maxAbsDiff(tiled, whole, 16);
      const everywhere = maxAbsDiff(tiled, whole);
      console.info(`demo 2048²: tiled (320) vs whole, max |diff| interior ${interior.toExponential(2)}, everywhere ${everywhere.toExponential(2)}`);
      expect(interior).toBeLessThanOrEqual(1e-4);
    } finally {
      await onnx.release();
    }
  });

  const skipCore = missing('bioimageio.core and the shared U-Net', hasPython && hasSharedData && fs.existsSync(UNET_DIR));
  it.skipIf(skipCore)('equals bioimageio.core predict with blocking (U-Net) within the pass rule', async () => {
    const dir = tempDir('core');
    const test = readNpy(fs.readFileSync(path.join(UNET_DIR, 'test_input.npy')));
    const image = mirrored(test, 4);
    fs.writeFileSync(path.join(dir, 'in.npy'), writeNpy(image));
    const description = path.join(UNET_DIR, 'bioimageio.yaml');
    const out = await python(`import runpy, sys; sys.argv = ['ref', 'predict', *sys.argv[1:]]; runpy.run_path(${JSON.stringify(path.join(projectRoot, 'tests/helpers/bioimageio_reference.py'))}, run_name='__main__')`, [description, path.join(dir, 'in.npy'), path.join(dir, 'core.npy'), '--block', '512']);
    const core = readNpy(fs.readFileSync(path.join(dir, 'core.npy')));
    const { model, package: pkg } = await loadModel(description);
    const onnx = await openOnnxModel(await pkg.localPath(model.onnx!.source));
    try {
      const [ours] = await predictArrays(model, onnx, [image]);
      const c = compareTensors(ours, core, { absolute: 1e-3, relative: 1e-3, mismatchedPerMillion: 100 });
      console.info(`U-Net 2048²: fairio tiled vs bioimageio.core blocked: max |diff| ${c.maxAbsDiff.toExponential(2)}, ${c.mismatched} mismatched (${c.mismatchedPerMillion.toFixed(2)} per million); core ${JSON.parse(out.trim().split('\n').pop()!).seconds.toFixed(1)} s`);
      expect(c.passed).toBe(true);
    } finally {
      await onnx.release();
    }
    // bioimageio.core and fairio each predict 25 U-Net tiles: about 20 s alone, over a minute on a loaded 2-core machine.
  }, 180_000);
});
