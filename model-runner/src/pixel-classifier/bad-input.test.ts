/**
 * Bad input gives a clear, typed error: labels of another shape, one class,
 * no labels, an ilastik project of an unsupported version, a classifier
 * that does not fit the image, a scale the image is too small for. Also the
 * .ilp import itself, on a project-shaped HDF5 file written by h5py.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FairioError, writeTiff } from '@fairio/ngff';
import { runNode } from '../run.js';
import { hasPython, missing, python } from '../../../tests/helpers/reference.js';
import { tempDir } from './__fixtures__/images.js';
import { classifyPredict, classifyTrain } from './nodes.js';
import { readClassifier } from './classifier-file.js';
import { readIlp } from './ilp.js';

const dir = tempDir('fairio-classify-bad-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function blobs(height: number, width: number): Uint8Array {
  return new Uint8Array(height * width).map((_, i) => {
    const y = Math.floor(i / width);
    const x = i % width;
    return 30 + (Math.hypot(y - height / 2, x - width / 2) < height / 4 ? 150 : 0) + ((x * 7 + y * 13) % 11);
  });
}

async function tiff(name: string, data: Uint8Array, height: number, width: number): Promise<string> {
  const file = path.join(dir, name);
  await writeTiff(file, [data], { width, height, dtype: 'uint8', planeCount: 1 });
  return file;
}

async function failure(promise: Promise<unknown>): Promise<FairioError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FairioError);
    return error as FairioError;
  }
  throw new Error('expected an error');
}

const train = (image: string, labels: string, parameters: Record<string, unknown> = {}, output = path.join(dir, `${Math.random().toString(36).slice(2)}.fairio-rf`)) =>
  runNode(classifyTrain, { inputs: { image, labels }, parameters: { trees: 5, features: 'gs,ggm', ...parameters }, outputs: { classifier: output }, workers: 0 });

describe('classify: bad input', () => {
  it('refuses labels whose shape differs from the image', async () => {
    const image = await tiff('image.tif', blobs(64, 64), 64, 64);
    const labels = await tiff('labels-60.tif', new Uint8Array(60 * 64).fill(1), 60, 64);
    const error = await failure(train(image, labels));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/labels have shape \(t 1, z 1, y 60, x 64\) but the image has \(t 1, z 1, y 64, x 64\)/);
  });

  it('refuses labels with only one class, and labels with none', async () => {
    const image = await tiff('image1.tif', blobs(64, 64), 64, 64);
    const one = new Uint8Array(64 * 64);
    one.fill(2, 100, 140);
    const error = await failure(train(image, await tiff('one.tif', one, 64, 64)));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/only one class is labelled \(value 2, 40 pixels\)/);
    const none = await failure(train(image, await tiff('none.tif', new Uint8Array(64 * 64), 64, 64)));
    expect(none.message).toMatch(/the labels are empty/);
  });

  it('refuses scales the image is too small for, unknown features, and a classifier that does not fit', async () => {
    const image = await tiff('small.tif', blobs(30, 40), 30, 40);
    const labels = new Uint8Array(30 * 40);
    labels.fill(1, 0, 10);
    labels.fill(2, 600, 610);
    const labelFile = await tiff('small-labels.tif', labels, 30, 40);
    expect((await failure(train(image, labelFile, { features: 'all' }))).message).toMatch(/scale σ = 10 rejected: the image is 30 pixels along y/);
    expect((await failure(train(image, labelFile, { features: 'sobel' }))).message).toMatch(/unknown feature "sobel"/);
    const classifier = path.join(dir, 'small.fairio-rf');
    await train(image, labelFile, { scales: '0.7,1.6' }, classifier);
    const rgb = path.join(dir, 'two-channels.tif');
    await writeTiff(rgb, [blobs(30, 40), blobs(30, 40)], { width: 40, height: 30, dtype: 'uint8', planeCount: 2, description: 'ImageJ=1.53t\nimages=2\nchannels=2\n' });
    const mismatch = await failure(runNode(classifyPredict, { inputs: { classifier, image: rgb }, parameters: {}, outputs: { output: path.join(dir, 'x.ome.zarr') }, workers: 0 }));
    expect(mismatch.message).toMatch(/trained on images with 1 channel\(s\); this image has 2/);
    fs.writeFileSync(path.join(dir, 'future.fairio-rf'), JSON.stringify({ format: 'fairio-pixel-classifier', version: 99 }));
    expect((await failure(readClassifier(path.join(dir, 'future.fairio-rf')))).code).toBe('UNSUPPORTED');
    const nothing = await failure(runNode(classifyPredict, { inputs: { classifier, image }, parameters: { segmentation: false }, outputs: { output: path.join(dir, 'y.ome.zarr') }, workers: 0 }));
    expect(nothing.message).toMatch(/nothing to write/);
  });
});

/** An .ilp-shaped HDF5 file, as ilastik 1.x writes it (or with another version). */
async function writeIlp(file: string, options: { version?: string; storage?: string | null; yOffset?: number } = {}) {
  await python(
    `
import json, sys, h5py, numpy as np
path, version, storage, offset = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with h5py.File(path, "w") as f:
    f["ilastikVersion"] = version.encode()
    f["workflowName"] = b"Pixel Classification"
    if storage != "none":
        f["Input Data/StorageVersion"] = storage
    f["Input Data/infos/lane0000/Raw Data/axistags"] = json.dumps({"axes": [{"key": k, "typeFlags": 2} for k in "yxc"]})
    f["Input Data/infos/lane0000/Raw Data/filePath"] = b"cells.tif"
    ids = [b"GaussianSmoothing", b"LaplacianOfGaussian", b"GaussianGradientMagnitude", b"DifferenceOfGaussians", b"StructureTensorEigenvalues", b"HessianOfGaussianEigenvalues"]
    f["FeatureSelections/FeatureIds"] = np.array(ids)
    f["FeatureSelections/Scales"] = np.array([0.3, 0.7, 1.0, 1.6, 3.5, 5.0, 10.0])
    m = np.zeros((6, 7), bool); m[0, 0] = m[0, 3] = m[2, 2] = True
    f["FeatureSelections/SelectionMatrix"] = m
    f["FeatureSelections/ComputeIn2d"] = np.zeros(7, bool)
    f["PixelClassification/LabelNames"] = np.array([b"background", b"cell"], dtype=object)
    f["PixelClassification/LabelColors"] = np.array([[255, 0, 0], [0, 0, 255]], dtype=np.int64)
    a = f.create_dataset("PixelClassification/LabelSets/labels000/block0000", data=np.ones((2, 20, 1), np.uint8))
    a.attrs["blockSlice"] = ("[%d:%d,5:25,0:1]" % (2 + offset, 4 + offset)).encode()
    b = f.create_dataset("PixelClassification/LabelSets/labels000/block0001", data=np.full((3, 10, 1), 2, np.uint8))
    b.attrs["blockSlice"] = b"[30:33,28:38,0:1]"
`,
    [file, options.version ?? '1.4.0', options.storage === null ? 'none' : (options.storage ?? '0.2'), String(options.yOffset ?? 0)],
  );
}

describe.skipIf(missing('h5py in the project .venv (requirements-dev.txt)', hasPython))('classify: labels and features from an ilastik project', () => {
  it('imports labels, class names, colours and the feature selection', async () => {
    const file = path.join(dir, 'cells.ilp');
    await writeIlp(file);
    const project = await readIlp(file);
    expect(project.ilastikVersion).toBe('1.4.0');
    expect(project.classNames).toEqual(['background', 'cell']);
    expect(project.classColors).toEqual(['#ff0000', '#0000ff']);
    expect(project.labelAxes).toEqual(['y', 'x', 'c']);
    expect(project.selection?.matrix[0]).toEqual([true, false, false, true, false, false, false]);
    expect(project.selection?.matrix[2]).toEqual([false, false, true, false, false, false, false]);
    const image = await tiff('cells.tif', blobs(64, 64), 64, 64);
    const classifier = path.join(dir, 'cells.fairio-rf');
    const run = await runNode(classifyTrain, { inputs: { image, labels: file }, parameters: { trees: 5 }, outputs: { classifier }, workers: 0 });
    expect(run.result.summary).toMatchObject({ classes: ['background', 'cell'], labelledPixels: 70, pixelsPerClass: [40, 30], features: 3 });
    expect(run.record.software.map((s) => s.name)).toContain('h5wasm');
    const { classifier: saved } = await readClassifier(classifier);
    expect(saved.classes).toEqual([
      { value: 1, name: 'background', color: '#ff0000' },
      { value: 2, name: 'cell', color: '#0000ff' },
    ]);
  });

  it('refuses a project of an unsupported ilastik version, and labels beyond the image', async () => {
    const old = path.join(dir, 'old.ilp');
    await writeIlp(old, { version: '0.5.12', storage: null });
    const error = await failure(readIlp(old));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/ilastik project of version 0\.5\.12; fairio reads projects of ilastik 1\.x/);
    const beyond = path.join(dir, 'beyond.ilp');
    await writeIlp(beyond, { yOffset: 70 });
    const image = await tiff('cells2.tif', blobs(64, 64), 64, 64);
    expect((await failure(train(image, beyond))).message).toMatch(/labels reach .* beyond the image/);
    fs.writeFileSync(path.join(dir, 'fake.ilp'), 'not hdf5');
    expect((await failure(readIlp(path.join(dir, 'fake.ilp')))).message).toMatch(/not an HDF5 file/);
  });
});
