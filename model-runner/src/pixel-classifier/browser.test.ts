/**
 * The classifier's browser path (`@fairio/model-runner/browser`): its modules
 * import nothing from Node; the file decodes from bytes as the command line
 * reads it; a region computed from pixels read with its halo equals the whole
 * image's result on that region, bit for bit, on this thread and spread over
 * workers (MessageChannel ports here; web workers in tests/jupyterlab); and
 * the whole image equals what `fairio classify predict` writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { arraySource, FairioError, openOmeZarr, writeImage } from '@fairio/ngff';
import { runNode } from '../run.js';
import { hasSharedData, missing } from '../../../tests/helpers/reference.js';
import { sampleCrop, tempDir } from './__fixtures__/images.js';
import { base64ToBytes, bytesToBase64 } from './classifier-format.js';
import { readClassifier } from './classifier-file.js';
import { classifyPredict, classifyTrain } from './nodes.js';
import { classifierReadBox, ClassifierWorkers, classifyRegion, parseClassifierBytes, serveClassifierWorker, type Box, type MessageEndpoint, type PixelClassifier } from './browser.js';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every module reachable from `entry` by relative imports, and the packages they import. */
function importGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)';/gms)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the browser entry imports nothing from Node', () => {
  it('model-runner/src/browser.ts and everything it reaches use only @fairio/ngff/browser and browser-safe packages', () => {
    const { files, packages } = importGraph(path.join(src, 'browser.ts'));
    const names = files.map((f) => path.relative(src, f));
    expect(names).toEqual(expect.arrayContaining(['pixel-classifier/features/bank.ts', 'pixel-classifier/forest/forest.ts', 'pixel-classifier/classifier-format.ts', 'pixel-classifier/apply/region.ts']));
    expect(names.filter((n) => /classifier-file|runner|nodes|image-input|worker\.ts$/.test(n))).toEqual([]);
    // Beside ngff's browser half and its WebAssembly kernels, only packages that run in a page (the bioimage.io side: YAML, zip, ONNX protobuf).
    expect([...packages].filter((p) => !['@fairio/ngff/browser', '@fairio/ngff/errors', '@fairio/ngff/kernels', 'yaml', 'fflate', 'protobufjs'].includes(p))).toEqual([]);
    for (const file of files) expect(fs.readFileSync(file, 'utf8'), file).not.toMatch(/\bBuffer\.|['"]node:|require\(/);
  });
});

describe('base64 without Buffer', () => {
  it('writes and reads what Buffer does', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100, 32767, 32768, 32769, 1 << 20]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(base64ToBytes(text)).equals(Buffer.from(bytes))).toBe(true);
    }
    expect(() => base64ToBytes('not*base64')).toThrow();
  });
});

const skip = missing('shared reference data', hasSharedData);
const dir = tempDir('fairio-browser-pc-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A 2-channel image (two crops of BBBC033 nuclei), written as OME-Zarr c,y,x, with sparse labels from its brightness. */
async function twoChannelImage(shape: [number, number]) {
  const [ny, nx] = shape;
  const a = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [250, 200], [250 + ny, 200 + nx]);
  const b = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [100, 400], [100 + ny, 400 + nx]);
  const pixels = new Uint8Array(2 * ny * nx);
  pixels.set(a.data, 0);
  pixels.set(b.data, ny * nx);
  const image = path.join(dir, `two-${ny}x${nx}.ome.zarr`);
  const cyx = [{ name: 'c', type: 'channel' as const }, { name: 'y', type: 'space' as const }, { name: 'x', type: 'space' as const }];
  await writeImage(image, arraySource(pixels, [2, ny, nx], 'uint8'), { axes: cyx, workers: 0 });
  const labels = new Uint8Array(ny * nx);
  for (let i = 0; i < labels.length; i += 53) labels[i] = a.data[i] < 30 ? 1 : a.data[i] > 90 ? 3 : b.data[i] > 60 ? 2 : 0;
  const labelPath = path.join(dir, `two-${ny}x${nx}-labels.ome.zarr`);
  await writeImage(labelPath, arraySource(labels, shape, 'uint8'), { axes: cyx.slice(1), imageLabel: {}, workers: 0 });
  return { image, labelPath, channels: [pixels.subarray(0, ny * nx), pixels.subarray(ny * nx)] };
}

function crop(planes: ArrayLike<number>[], shape: number[], box: Box): Uint8Array[] {
  const [by, bx] = [box.hi[0] - box.lo[0], box.hi[1] - box.lo[1]];
  return planes.map((p) => {
    const out = new Uint8Array(by * bx);
    for (let y = 0; y < by; y++) for (let x = 0; x < bx; x++) out[y * bx + x] = p[(y + box.lo[0]) * shape[1] + x + box.lo[1]];
    return out;
  });
}

/** MessageChannel ports standing in for web workers (same structured cloning and transfers). */
function portWorkers(count: number, classifier: PixelClassifier) {
  const ports: MessagePort[] = [];
  const workers = new ClassifierWorkers(() => {
    const { port1, port2 } = new MessageChannel();
    serveClassifierWorker(port1 as unknown as MessageEndpoint);
    port1.start();
    port2.start();
    ports.push(port1, port2);
    return Object.assign(port2 as unknown as MessageEndpoint, { terminate: () => port2.close() });
  }, count);
  return { workers, loaded: { key: 'test', classifier }, close: () => ports.forEach((p) => p.close()) };
}

describe.skipIf(skip)('classifyRegion: a region with its halo equals the whole image', () => {
  const shape: [number, number] = [200, 230];
  let setup: Promise<{ classifier: PixelClassifier; bytes: Uint8Array; channels: Uint8Array[]; predicted: string }> | undefined;
  const prepare = () =>
    (setup ??= (async () => {
      const { image, labelPath, channels } = await twoChannelImage(shape);
      const file = path.join(dir, 'two.fairio-rf');
      await runNode(classifyTrain, { inputs: { image, labels: labelPath }, parameters: { features: 'gs,log@1.0,ggm@1.6,ste@3.5,hoge@5.0', trees: 12, seed: 4 }, outputs: { classifier: file }, workers: 0 });
      const predicted = path.join(dir, 'two-p.ome.zarr');
      await runNode(classifyPredict, { inputs: { classifier: file, image }, parameters: { probabilities: true, segmentation: true }, outputs: { output: predicted }, workers: 2 });
      return { classifier: (await readClassifier(file)).classifier, bytes: new Uint8Array(fs.readFileSync(file)), channels, predicted };
    })());

  it('decodes the file from its bytes as readClassifier reads it, and names what is wrong', async () => {
    const { classifier, bytes } = await prepare();
    expect(parseClassifierBytes(bytes, 'two.fairio-rf')).toEqual(classifier);
    expect(() => parseClassifierBytes(new Uint8Array([0xff, 0xfe]), 'x.fairio-rf')).toThrow(/x\.fairio-rf: is not a fairio classifier \(not UTF-8 text\)/);
    const broken = new TextDecoder().decode(bytes).replace(/"threshold":"[^"]{8}/, '"threshold":"!!!!!!!!');
    expect(() => parseClassifierBytes(new TextEncoder().encode(broken), 'x.fairio-rf')).toThrow(/forest.threshold is not base64/);
  });

  it('the whole image equals fairio classify predict (probabilities and segmentation)', async () => {
    const { classifier, channels, predicted } = await prepare();
    const whole = classifyRegion(classifier, channels, shape);
    const written = await openOmeZarr(predicted);
    expect(whole.probabilities).toEqual((await (await written.image()).readRegion()).data);
    expect(whole.labels).toEqual((await (await openOmeZarr(`${predicted}/labels/segmentation`)).image().then((i) => i.readRegion())).data);
  });

  it('regions inside, at edges and corners, on this thread and over 1–3 workers', async () => {
    const { classifier, channels } = await prepare();
    const whole = classifyRegion(classifier, channels, shape);
    const K = classifier.classes.length;
    const regions: Box[] = [
      { lo: [60, 70], hi: [140, 150] }, // inside
      { lo: [0, 0], hi: [37, 41] }, // corner
      { lo: [150, 3], hi: [200, 230] }, // bottom edge, nearly the left
      { lo: [0, 100], hi: [200, 101] }, // one column
    ];
    for (const region of regions) {
      const box = classifierReadBox(classifier, shape, region);
      const [ry, rx] = [region.hi[0] - region.lo[0], region.hi[1] - region.lo[1]];
      const expectedLabels = crop([whole.labels], shape, region)[0];
      const expectedP = new Float32Array(K * ry * rx);
      for (let k = 0; k < K; k++) {
        for (let y = 0; y < ry; y++) for (let x = 0; x < rx; x++) expectedP[k * ry * rx + y * rx + x] = whole.probabilities![k * shape[0] * shape[1] + (y + region.lo[0]) * shape[1] + x + region.lo[1]];
      }
      const pixels = crop(channels, shape, box);
      const boxShape = box.hi.map((h, d) => h - box.lo[d]);
      const here = classifyRegion(classifier, pixels, boxShape, { box, imageShape: shape, region });
      expect(here.shape).toEqual([ry, rx]);
      expect(here.labels).toEqual(expectedLabels);
      expect(here.probabilities).toEqual(expectedP);
      for (const count of [1, 3]) {
        const { workers, loaded, close } = portWorkers(count, classifier);
        try {
          const spread = await workers.classify(loaded, pixels, boxShape, { box, imageShape: shape, region });
          expect(spread.labels, `${count} workers`).toEqual(expectedLabels);
          expect(spread.probabilities).toEqual(expectedP);
        } finally {
          close();
        }
      }
    }
  });

  it('refuses pixels without the halo, the wrong channels and a classifier of other features', async () => {
    const { classifier, channels } = await prepare();
    const region = { lo: [60, 70], hi: [140, 150] };
    const pixels = crop(channels, shape, region);
    expect(() => classifyRegion(classifier, pixels, [80, 80], { box: region, imageShape: shape, region })).toThrow(/the region needs the pixels \[\d+,\d+\]–\[\d+,\d+\] \(its halo of \d+ for the filters\)/);
    expect(() => classifyRegion(classifier, channels.slice(0, 1), shape)).toThrow(/trained on images of 2 channel\(s\); this one has 1/);
    expect(() => classifyRegion(classifier, [channels[0], channels[1].subarray(1)], shape)).toThrow(/channel 1 holds 45999 pixels, not 200×230/);
    expect(() => classifyRegion(classifier, channels, [10, 4600])).toThrow(FairioError);
    const { workers, loaded, close } = portWorkers(2, classifier);
    try {
      await expect(workers.classify(loaded, channels.slice(0, 1), shape)).rejects.toThrow(/trained on images of 2 channel/);
    } finally {
      close();
    }
  });
});
