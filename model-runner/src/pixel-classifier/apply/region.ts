/**
 * One region of an image through a trained classifier, on this thread and
 * with no Node built-ins: the code the command line's block tasks and the
 * browser's web workers share. A region is computed from pixels read with
 * the feature bank's halo around it (clipped at the image edge), so its
 * result equals the whole image's result on that region, bit for bit.
 */
import { FairioError } from '@fairio/ngff/errors';
import { checkScalesFit, computeFeatureBlock, featureChannels, featureHalo, filteredDims, type FeatureSelection } from '../features/bank.js';
import { argmaxClasses, predictProbabilities } from '../forest/forest.js';
import type { PixelClassifier } from '../classifier-format.js';

/** A box of the spatial axes ([y, x] or [z, y, x]): [lo, hi). */
export interface Box {
  lo: number[];
  hi: number[];
}

/** Halo per spatial axis of `dims` (2 or 3) axes: none along z when it is not filtered. */
export function haloPerAxis(selection: FeatureSelection, dims: number): number[] {
  const h = featureHalo(selection);
  return dims === 3 ? [filteredDims(3, selection) === 3 ? h : 0, h, h] : [h, h];
}

/** The box to read for computing `region`: grown by `halo` and clipped to the image [0, size). */
export function haloedBox(halo: number[], size: number[], region: Box): Box {
  return {
    lo: region.lo.map((l, d) => Math.max(0, l - halo[d])),
    hi: region.hi.map((h, d) => Math.min(size[d], h + halo[d])),
  };
}

/** The box of pixels a classifier needs read for `region` of an image of spatial shape `imageShape`. */
export function classifierReadBox(classifier: PixelClassifier, imageShape: number[], region: Box): Box {
  return haloedBox(haloPerAxis(classifier.selection, imageShape.length), imageShape, region);
}

export interface RegionOptions {
  /** Where the given pixels lie in the image (default: they are the whole image). */
  box?: Box;
  /** Spatial shape of the whole image (default: `box.hi`, or the pixels' shape); ilastik's scale check runs on it. */
  imageShape?: number[];
  /** The region to classify, in image coordinates (default: the box); the box must hold it with the halo. */
  region?: Box;
  /** Also return the probabilities (default true). */
  probabilities?: boolean;
}

export interface RegionResult {
  /** Spatial shape of the region. */
  shape: number[];
  /** One plane per class, in class order (absent when not asked for). */
  probabilities?: Float32Array;
  /** The most probable class of each pixel: class values 1..K (ties to the lower class). */
  labels: Uint8Array;
}

const invalid = (message: string) => new FairioError('INVALID_ARGUMENT', message);

/**
 * Apply a trained classifier to a region. `channels` holds one array per
 * input channel (any numeric type; computed as float32, as the command line
 * does) of spatial shape `shape` ([y, x] or [z, y, x]), C order.
 */
export function classifyRegion(classifier: PixelClassifier, channels: ArrayLike<number>[], shape: number[], options: RegionOptions = {}): RegionResult {
  const box = options.box ?? { lo: shape.map(() => 0), hi: shape };
  const imageShape = options.imageShape ?? box.hi;
  const region = options.region ?? box;
  const dims = shape.length;
  if (dims !== 2 && dims !== 3) throw invalid(`the pixels must be 2D (y, x) or 3D (z, y, x), not ${dims}D`);
  if ([box.lo, box.hi, imageShape, region.lo, region.hi].some((a) => a.length !== dims)) throw invalid(`box, region and image shape must have ${dims} axes like the pixels`);
  if (box.hi.some((h, d) => h - box.lo[d] !== shape[d])) throw invalid(`the box [${box.lo}]–[${box.hi}] does not match the pixels' shape ${shape.join('×')}`);
  if (channels.length !== classifier.input.channels) {
    throw invalid(`the classifier was trained on images of ${classifier.input.channels} channel(s); this one has ${channels.length}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  channels.forEach((c, i) => {
    if (c.length !== size) throw invalid(`channel ${i} holds ${c.length} pixels, not ${shape.join('×')} = ${size}`);
  });
  if (region.lo.some((l, d) => l < box.lo[d] || region.hi[d] > box.hi[d] || l >= region.hi[d])) throw invalid(`the region [${region.lo}]–[${region.hi}] is empty or not inside the pixels' box [${box.lo}]–[${box.hi}]`);
  const needed = classifierReadBox(classifier, imageShape, region);
  if (needed.lo.some((l, d) => l < box.lo[d] || needed.hi[d] > box.hi[d])) {
    throw invalid(`the region needs the pixels [${needed.lo}]–[${needed.hi}] (its halo of ${featureHalo(classifier.selection)} for the filters); read classifierReadBox's box`);
  }
  checkScalesFit(classifier.selection, imageShape);
  const featureCount = featureChannels(classifier.selection, channels.length, dims).length;
  if (featureCount !== classifier.forest.featureCount) {
    throw invalid(`the classifier expects ${classifier.forest.featureCount} features but a ${dims}D image gives ${featureCount} (trained on ${classifier.input.spatialDims}D images)`);
  }
  const pixels = channels.map((c) => (c instanceof Float32Array ? c : Float32Array.from(c)));
  const lo = region.lo.map((l, d) => l - box.lo[d]);
  const hi = region.hi.map((h, d) => h - box.lo[d]);
  const features = computeFeatureBlock({ channels: pixels, shape, lo, hi }, classifier.selection);
  const count = lo.reduce((n, l, d) => n * (hi[d] - l), 1);
  const probabilities = predictProbabilities(classifier.forest, features, count);
  return {
    shape: hi.map((h, d) => h - lo[d]),
    probabilities: options.probabilities === false ? undefined : probabilities,
    labels: argmaxClasses(probabilities, classifier.forest.classCount, count),
  };
}
