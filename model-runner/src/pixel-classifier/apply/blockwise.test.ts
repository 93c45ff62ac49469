/**
 * Prediction block by block (with halo, on the worker pool, through
 * writeImage) equals the same classifier applied to the whole image at
 * once, in 2D (2 × 2 blocks) and 3D (2 blocks along z).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arraySource, openOmeZarr, writeImage, type Axis } from '@fairio/ngff';
import { runNode } from '../../run.js';
import { hasSharedData, missing } from '../../../../tests/helpers/reference.js';
import { mirrorZ, sampleCrop, tempDir, type SampleImage } from '../__fixtures__/images.js';
import { computeFeatureBlock } from '../features/bank.js';
import { predictProbabilities } from '../forest/forest.js';
import { readClassifier } from '../classifier-file.js';
import { classifyPredict, classifyTrain } from '../nodes.js';

const dir = tempDir('fairio-blockwise-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function check(name: string, image: SampleImage, axes: Axis[], features: string) {
  const imagePath = path.join(dir, `${name}.ome.zarr`);
  await writeImage(imagePath, arraySource(Uint8Array.from(image.data), image.shape, 'uint8'), { axes, workers: 0 });
  const labels = new Uint8Array(image.data.length);
  const sorted = Float32Array.from(image.data).sort();
  const [low, high] = [sorted[Math.floor(sorted.length * 0.2)], sorted[Math.floor(sorted.length * 0.9)]];
  for (let i = 0; i < labels.length; i += 97) labels[i] = image.data[i] <= low ? 1 : image.data[i] >= high ? 2 : 0;
  const labelPath = path.join(dir, `${name}-labels.ome.zarr`);
  await writeImage(labelPath, arraySource(labels, image.shape, 'uint8'), { axes, imageLabel: {}, workers: 0 });
  const classifier = path.join(dir, `${name}.fairio-rf`);
  await runNode(classifyTrain, { inputs: { image: imagePath, labels: labelPath }, parameters: { features, trees: 8, seed: 2 }, outputs: { classifier }, workers: 2 });
  const out = path.join(dir, `${name}-p.ome.zarr`);
  await runNode(classifyPredict, { inputs: { classifier, image: imagePath }, parameters: { probabilities: true, segmentation: false }, outputs: { output: out }, workers: 2 });
  const written = await (await openOmeZarr(out)).image();
  expect(written.levels[0].chunks.slice(1).some((c, i) => c < image.shape[i])).toBe(true); // really more than one block
  const blockwise = (await written.readRegion()).data as Float32Array;

  const { classifier: c } = await readClassifier(classifier);
  const whole = computeFeatureBlock({ channels: [image.data], shape: image.shape, lo: image.shape.map(() => 0), hi: image.shape }, c.selection);
  const direct = predictProbabilities(c.forest, whole, image.data.length);
  expect(blockwise).toEqual(direct);
}

describe.skipIf(missing('shared reference data', hasSharedData))('block-wise prediction', () => {
  it('2D: 2 × 2 blocks of 512 equal the whole image', async () => {
    const image = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [250, 200], [794, 744]);
    await check('bbbc', image, [{ name: 'y', type: 'space' }, { name: 'x', type: 'space' }], 'gs,ggm@1.6,hoge@3.5');
  });

  it('3D: 2 blocks along z equal the whole stack', async () => {
    const ovule = mirrorZ(await sampleCrop('sample_ovule.tiff', [0, 32, 32], [32, 96, 96]), 3);
    await check('ovule', ovule, [{ name: 'z', type: 'space' }, { name: 'y', type: 'space' }, { name: 'x', type: 'space' }], 'gs@0.7,ste@1.6,hoge@3.5');
  });
});
