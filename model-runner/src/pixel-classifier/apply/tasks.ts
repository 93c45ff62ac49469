/**
 * The work one block needs, as a message to a worker thread: the block's
 * pixels (with halo) per channel, the region to compute, the feature
 * selection and — for prediction — the forest in shared memory (sent once
 * as SharedArrayBuffers, never copied per block).
 */
import { computeFeatureBlock, type FeatureSelection } from '../features/bank.js';
import { argmaxClasses, predictProbabilities, type PackedForest } from '../forest/forest.js';

export interface SharedForest {
  classCount: number;
  featureCount: number;
  roots: SharedArrayBuffer;
  feature: SharedArrayBuffer;
  threshold: SharedArrayBuffer;
  left: SharedArrayBuffer;
  right: SharedArrayBuffer;
  value: SharedArrayBuffer;
}

export interface BlockTask {
  /** features: every feature (planar); probabilities: per class (planar); segmentation: class of each pixel; samples: features of `positions`, pixel-major. */
  kind: 'features' | 'probabilities' | 'segmentation' | 'samples';
  channels: Float32Array[];
  shape: number[];
  lo: number[];
  hi: number[];
  selection: FeatureSelection;
  forest?: SharedForest;
  /** kind 'samples': C-order indices into the target region [lo, hi). */
  positions?: Int32Array;
}

function share(array: ArrayBufferView): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(array.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return buffer;
}

export function shareForest(forest: PackedForest): SharedForest {
  return {
    classCount: forest.classCount,
    featureCount: forest.featureCount,
    roots: share(forest.roots),
    feature: share(forest.feature),
    threshold: share(forest.threshold),
    left: share(forest.left),
    right: share(forest.right),
    value: share(forest.value),
  };
}

export function unshareForest(forest: SharedForest): PackedForest {
  return {
    classCount: forest.classCount,
    featureCount: forest.featureCount,
    roots: new Int32Array(forest.roots),
    feature: new Int32Array(forest.feature),
    threshold: new Float64Array(forest.threshold),
    left: new Int32Array(forest.left),
    right: new Int32Array(forest.right),
    value: new Float32Array(forest.value),
  };
}

/** Run one block task (on a worker, or on this thread). */
export function runBlockTask(task: BlockTask): Float32Array | Uint8Array {
  const features = computeFeatureBlock({ channels: task.channels, shape: task.shape, lo: task.lo, hi: task.hi }, task.selection);
  const pixels = task.hi.reduce((n, h, d) => n * (h - task.lo[d]), 1);
  if (task.kind === 'features') return features;
  if (task.kind === 'samples') {
    const positions = task.positions ?? new Int32Array(0);
    const count = features.length / pixels;
    const out = new Float32Array(positions.length * count);
    for (let f = 0; f < count; f++) for (let s = 0; s < positions.length; s++) out[s * count + f] = features[f * pixels + positions[s]];
    return out;
  }
  if (!task.forest) throw new Error('prediction needs a forest');
  const forest = unshareForest(task.forest);
  const probabilities = predictProbabilities(forest, features, pixels);
  return task.kind === 'probabilities' ? probabilities : argmaxClasses(probabilities, forest.classCount, pixels);
}
