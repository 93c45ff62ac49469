/**
 * Gathering a training set from sparse labels without holding the image:
 * the label image is read block by block, and only blocks with labelled
 * pixels get their features computed (on the worker pool, with halo); the
 * features of the labelled pixels are kept, in block order, so the same
 * labels always give the same training set.
 */
import { createHash } from 'node:crypto';
import { boundedMap, FairioError, iterateBlocks } from '@fairio/ngff';
import type { TrainingSet } from '../forest/tree.js';
import type { ImageInput } from '../image-input.js';
import type { BlockRunner } from './runner.js';
import { computeBlockShape } from './sources.js';

/** Largest class value a label image may use. */
export const MAX_CLASSES = 255;

export interface CollectedTrainingSet extends TrainingSet {
  /** Labelled pixels per class value 1..K. */
  pixelsPerClass: number[];
  /** sha256 over positions, classes and features. */
  sha256: string;
}

/** Check that labels fit the image: same t, z, y, x; one channel. */
export function checkLabelShape(image: ImageInput, labels: ImageInput): void {
  const [lt, lc, lz, ly, lx] = labels.shape5;
  const [it, , iz, iy, ix] = image.shape5;
  if (lc !== 1) throw new FairioError('INVALID_ARGUMENT', `labels must have one channel, not ${lc}`, { path: labels.location });
  if (lt !== it || lz !== iz || ly !== iy || lx !== ix) {
    const show = (s: number[]) => `t ${s[0]}, z ${s[2]}, y ${s[3]}, x ${s[4]}`;
    throw new FairioError('INVALID_ARGUMENT', `labels have shape (${show(labels.shape5)}) but the image has (${show(image.shape5)}); labels must cover the image pixel for pixel`, { path: labels.location });
  }
}

export async function collectTrainingSet(runner: BlockRunner, labels: ImageInput, onProgress?: (done: number, total: number) => void): Promise<CollectedTrainingSet> {
  const image = runner.image;
  checkLabelShape(image, labels);
  const [T, , Z, Y, X] = image.shape5;
  const block = computeBlockShape(runner, 'probabilities');
  const blocks = iterateBlocks([T, Z, Y, X], [1, ...block]);
  const total = Math.ceil(T) * Math.ceil(Z / block[0]) * Math.ceil(Y / block[1]) * Math.ceil(X / block[2]);
  const features = runner.featureCount;
  const parts: { values: Float32Array; classes: Uint8Array; positions: Int32Array; index: number }[] = [];
  const pixelsPerClass: number[] = [];
  let done = 0;
  for await (const part of boundedMap(
    blocks,
    async (b) => {
      const [t, ...lo] = b.start;
      const [, ...hi] = b.stop;
      const raw = await labels.read([t, 0, ...lo], [t + 1, 1, ...hi]);
      const positions: number[] = [];
      const classes: number[] = [];
      for (let i = 0; i < raw.length; i++) {
        const v = Number(raw[i]);
        if (v === 0) continue;
        if (!Number.isInteger(v) || v < 0 || v > MAX_CLASSES) {
          throw new FairioError('INVALID_ARGUMENT', `label value ${v} is not a class: labels are 0 (unlabelled) or whole numbers 1..${MAX_CLASSES}`, { path: labels.location });
        }
        positions.push(i);
        classes.push(v);
      }
      if (positions.length === 0) return undefined;
      const values = (await runner.run('samples', t, lo, hi, Int32Array.from(positions))) as Float32Array;
      return { values, classes: Uint8Array.from(classes), positions: Int32Array.from(positions), index: b.index };
    },
    Math.max(2, 2 * runner.workers),
  )) {
    onProgress?.(++done, total);
    if (!part) continue;
    parts.push(part);
    for (const c of part.classes) pixelsPerClass[c - 1] = (pixelsPerClass[c - 1] ?? 0) + 1;
  }
  const samples = parts.reduce((n, p) => n + p.classes.length, 0);
  if (samples === 0) throw new FairioError('INVALID_ARGUMENT', 'the labels are empty: label at least two classes with values 1, 2, … (0 means unlabelled)', { path: labels.location });
  const classCount = pixelsPerClass.length;
  for (let k = 0; k < classCount; k++) pixelsPerClass[k] ??= 0;
  const present = pixelsPerClass.filter((n) => n > 0).length;
  if (present < 2) {
    const only = pixelsPerClass.findIndex((n) => n > 0) + 1;
    throw new FairioError('INVALID_ARGUMENT', `only one class is labelled (value ${only}, ${samples} pixels): a classifier needs at least two classes`, { path: labels.location });
  }
  const values = new Float32Array(samples * features);
  const classes = new Uint8Array(samples);
  const hash = createHash('sha256');
  let offset = 0;
  for (const p of parts) {
    values.set(p.values, offset * features);
    for (let i = 0; i < p.classes.length; i++) classes[offset + i] = p.classes[i] - 1;
    hash.update(`${p.index}:`).update(new Uint8Array(p.positions.buffer)).update(p.classes).update(new Uint8Array(p.values.buffer));
    offset += p.classes.length;
  }
  return { values, classes, samples, features, classCount, pixelsPerClass, sha256: hash.digest('hex') };
}
