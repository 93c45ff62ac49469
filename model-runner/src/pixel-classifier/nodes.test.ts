/**
 * The classify nodes end to end on a real image (a crop of BBBC033, nuclei):
 * train from sparse scribbles in an OME-Zarr label image, predict a
 * segmentation block by block, and compare with vigra features +
 * scikit-learn's RandomForestClassifier(n_estimators=100) trained on the
 * same labels: pixel agreement ≥ 0.95, held-out accuracy within 1 point.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arraySource, openOmeZarr, writeImage } from '@fairio/ngff';
import { runNode } from '../run.js';
import { hasSharedData, missing } from '../../../tests/helpers/reference.js';
import { hasVigra } from '../../../tests/helpers/system-python.js';
import { referencePipeline, sampleCrop, scribbles, tempDir } from './__fixtures__/images.js';
import { featureChannels, fullSelection, smoothField } from './features/bank.js';
import { field } from './features/field.js';
import { classifyFeatures, classifyPredict, classifyTrain } from './nodes.js';
import { readClassifier } from './classifier-file.js';

const skip = missing('vigra and scikit-learn in the system Python (Debian python3-vigra, python3-sklearn)', hasVigra) || missing('shared reference data', hasSharedData);
const dir = tempDir('fairio-classify-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const yx = [{ name: 'y', type: 'space' as const }, { name: 'x', type: 'space' as const }];

async function labelImage(imagePath: string, name: string, labels: Uint8Array, shape: number[]) {
  fs.mkdirSync(path.join(imagePath, 'labels'), { recursive: true });
  fs.writeFileSync(path.join(imagePath, 'labels', 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { ome: { version: '0.5', labels: [name] } } }));
  await writeImage(path.join(imagePath, 'labels', name), arraySource(labels, shape, 'uint8'), { axes: yx, imageLabel: {}, downsampling: 'mode', workers: 0 });
}

async function readLevel0(location: string) {
  const image = await (await openOmeZarr(location)).image();
  return image.readRegion();
}

describe.skipIf(skip)('classify train / predict on a real image', () => {
  it('segments like vigra + scikit-learn from the same scribbles, reproducibly', async () => {
    const image = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [256, 160], [768, 672]);
    const shape = image.shape;
    const imagePath = path.join(dir, 'nuclei.ome.zarr');
    await writeImage(imagePath, arraySource(Uint8Array.from(image.data), shape, 'uint8'), { axes: yx, workers: 0 });
    const smooth = smoothField(field(image.data, shape), 2, 3, [0, 0], shape).data;
    const { train, heldOut } = scribbles(image, smooth);
    await labelImage(imagePath, 'scribbles', train, shape);

    const classifier = path.join(dir, 'nuclei.fairio-rf');
    const trainRun = () =>
      runNode(classifyTrain, { inputs: { image: imagePath, labels: `${imagePath}/labels/scribbles` }, parameters: { seed: 3, classNames: 'background,dim,bright' }, outputs: { classifier }, overwrite: true, workers: 2 });
    const first = await trainRun();
    const summary = first.result.summary!;
    expect(summary.labelledPixels).toBe(train.filter((v) => v > 0).length);
    expect(summary.features).toBe(49);
    expect(summary.trees).toBe(100);
    expect(first.record.status).toBe('completed');
    expect(first.record.summary?.classifierSha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await trainRun();
    expect(second.result.summary!.classifierSha256).toBe(summary.classifierSha256);

    const seg = path.join(dir, 'nuclei-seg.ome.zarr');
    const predict = await runNode(classifyPredict, { inputs: { classifier, image: imagePath }, parameters: {}, outputs: { output: seg }, workers: 2 });
    expect(predict.result.summary!.classifierSha256).toBe(summary.classifierSha256);
    const ours = (await readLevel0(seg)).data as Uint8Array;
    expect(ours.length).toBe(shape[0] * shape[1]);
    const seg2 = path.join(dir, 'nuclei-seg2.ome.zarr');
    await runNode(classifyPredict, { inputs: { classifier, image: imagePath }, parameters: {}, outputs: { output: seg2 }, workers: 1 });
    expect((await readLevel0(seg2)).data).toEqual(ours);

    const pairs = featureChannels(fullSelection(), 1, 2).filter((c) => c.component === 0).map((c) => [c.feature, c.scale] as [string, number]);
    const reference = await referencePipeline(image, train, heldOut, pairs);
    let agree = 0;
    for (let i = 0; i < ours.length; i++) if (ours[i] === reference.labels[i]) agree++;
    let right = 0;
    let held = 0;
    for (let i = 0; i < ours.length; i++) {
      if (!heldOut[i]) continue;
      held++;
      if (ours[i] === heldOut[i]) right++;
    }
    const agreement = agree / ours.length;
    const accuracy = right / held;
    console.log(`BBBC033 512×512, ${summary.labelledPixels} labelled pixels, ${held} held out: agreement with vigra + scikit-learn ${agreement.toFixed(4)}, held-out accuracy fairio ${accuracy.toFixed(4)} vs reference ${reference.heldOutAccuracy.toFixed(4)}`);
    expect(agreement).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(accuracy - reference.heldOutAccuracy)).toBeLessThanOrEqual(0.01);
  });

  it('writes probabilities with the segmentation in labels/, and exports features', async () => {
    const image = await sampleCrop('sample.tiff', [0, 0], [128, 160]);
    const imagePath = path.join(dir, 'small.ome.zarr');
    await writeImage(imagePath, arraySource(Uint8Array.from(image.data), image.shape, 'uint8'), { axes: yx, workers: 0 });
    const labels = new Uint8Array(128 * 160);
    for (let x = 10; x < 40; x++) labels[5 * 160 + x] = 1;
    for (let x = 60; x < 100; x++) labels[64 * 160 + x] = 2;
    await labelImage(imagePath, 'scribbles', labels, image.shape);
    const classifier = path.join(dir, 'small.fairio-rf');
    await runNode(classifyTrain, { inputs: { image: imagePath, labels: imagePath }, parameters: { features: 'gs,ggm@1.6', trees: 10 }, outputs: { classifier }, workers: 0 });
    const { classifier: file } = await readClassifier(classifier);
    expect(file.forest.featureCount).toBe(8);
    expect(file.classes.map((c) => c.name)).toEqual(['Label 1', 'Label 2']);
    const out = path.join(dir, 'small-prob.ome.zarr');
    await runNode(classifyPredict, { inputs: { classifier, image: imagePath }, parameters: { probabilities: true, segmentation: true }, outputs: { output: out }, workers: 0 });
    const probabilities = await (await openOmeZarr(out)).image();
    expect(probabilities.axisNames).toEqual(['c', 'y', 'x']);
    expect(probabilities.levels[0].shape).toEqual([2, 128, 160]);
    expect(probabilities.omero?.channels.map((c) => c.label)).toEqual(['Label 1', 'Label 2']);
    const p = (await probabilities.readRegion()).data as Float32Array;
    const segmentation = (await readLevel0(`${out}/labels/segmentation`)).data as Uint8Array;
    for (let i = 0; i < segmentation.length; i++) expect(segmentation[i]).toBe(p[i] >= p[segmentation.length + i] ? 1 : 2);
    expect(await (await openOmeZarr(out)).labelNames()).toEqual(['segmentation']);

    const features = path.join(dir, 'small-features.ome.zarr');
    const run = await runNode(classifyFeatures, { inputs: { image: imagePath }, parameters: { features: 'gs@0.3,hoge@1.0', ngff: '0.4' }, outputs: { output: features }, workers: 0 });
    expect(run.result.summary!.channelNames).toEqual(['Gaussian Smoothing (σ=0.3)', 'Hessian of Gaussian Eigenvalues (σ=1) [0]', 'Hessian of Gaussian Eigenvalues (σ=1) [1]']);
    const exported = await (await openOmeZarr(features)).image();
    expect(exported.levels[0].shape).toEqual([3, 128, 160]);
    expect(exported.version).toBe('0.4');
  });
});
