/**
 * A random forest of `growTree` trees: trained from a seed (tree i uses its
 * own random stream, so the result does not depend on how trees are spread
 * over workers), and packed into flat arrays for prediction, which walks
 * every tree for a tile of pixels at a time (the tile's features and one
 * tree stay in cache) and averages the leaves' class fractions, as
 * scikit-learn's predict_proba does.
 */
import { Random } from './random.js';
import { growTree, type TrainingSet, type TreeArrays, type TreeOptions } from './tree.js';

export interface ForestOptions extends TreeOptions {
  /** Number of trees (default 100). */
  trees?: number;
  /** Seed of the random draws (default 0). */
  seed?: number;
}

/** All trees in one set of flat arrays; `roots[t]` is tree t's first node. */
export interface PackedForest {
  classCount: number;
  featureCount: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
}

/** Grow trees [first, first + count) of the forest with `seed`. */
export function growTrees(data: TrainingSet, seed: number, first: number, count: number, options: TreeOptions = {}): TreeArrays[] {
  const trees: TreeArrays[] = [];
  for (let t = first; t < first + count; t++) trees.push(growTree(data, new Random(seed, t), options));
  return trees;
}

/** Put trees (in order) into one PackedForest. */
export function packForest(trees: TreeArrays[], classCount: number, featureCount: number): PackedForest {
  const nodes = trees.reduce((n, t) => n + t.feature.length, 0);
  const packed: PackedForest = {
    classCount,
    featureCount,
    roots: new Int32Array(trees.length),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    value: new Float32Array(nodes * classCount),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    packed.roots[t] = offset;
    packed.feature.set(tree.feature, offset);
    packed.threshold.set(tree.threshold, offset);
    for (let i = 0; i < tree.feature.length; i++) {
      if (tree.feature[i] >= 0 && tree.right[i] !== tree.left[i] + 1) throw new RangeError('tree nodes must have adjacent children (right = left + 1)');
      packed.left[offset + i] = tree.left[i] < 0 ? -1 : tree.left[i] + offset;
      packed.right[offset + i] = tree.right[i] < 0 ? -1 : tree.right[i] + offset;
    }
    packed.value.set(tree.value, offset * classCount);
    offset += tree.feature.length;
  });
  return packed;
}

/** Train a forest on this thread (see train-parallel.ts for the worker pool). */
export function trainForest(data: TrainingSet, options: ForestOptions = {}): PackedForest {
  const trees = growTrees(data, options.seed ?? 0, 0, options.trees ?? 100, options);
  return packForest(trees, data.classCount, data.features);
}

const TILE = 2048;

/**
 * Thresholds as float32 for a float32 feature x: the largest float32 t with
 * t ≤ threshold, so that x ≤ t exactly when x ≤ threshold (smaller arrays,
 * faster walks).
 */
function float32Thresholds(threshold: Float64Array): Float32Array {
  const out = new Float32Array(threshold.length);
  for (let i = 0; i < threshold.length; i++) {
    const t = threshold[i];
    let f = Math.fround(t);
    if (f > t) {
      // one float32 step down
      const view = new Float32Array([f]);
      const bits = new Int32Array(view.buffer);
      bits[0] += f > 0 ? -1 : f < 0 ? 1 : 0;
      if (f === 0) view[0] = -1.401298464324817e-45;
      f = view[0];
    }
    out[i] = f;
  }
  return out;
}

/**
 * Class probabilities of `pixels` pixels whose features are planar
 * (`features[f * pixels + p]`): a planar Float32Array [class][pixel].
 * Children are adjacent (right = left + 1), as growTree makes them.
 */
export function predictProbabilities(forest: PackedForest, features: Float32Array, pixels: number): Float32Array {
  const { classCount: K, featureCount: F, roots, feature, left, value } = forest;
  if (features.length !== F * pixels) throw new RangeError(`expected ${F} features × ${pixels} pixels, got ${features.length} values`);
  const threshold = float32Thresholds(forest.threshold);
  const out = new Float32Array(K * pixels);
  const x = new Float32Array(TILE * F);
  const acc = new Float32Array(TILE * K);
  const scale = 1 / roots.length;
  for (let p0 = 0; p0 < pixels; p0 += TILE) {
    const n = Math.min(TILE, pixels - p0);
    // Pixel-major copy of this tile's features.
    for (let f = 0; f < F; f++) {
      const src = f * pixels + p0;
      for (let p = 0; p < n; p++) x[p * F + f] = features[src + p];
    }
    acc.fill(0);
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t];
      let p = 0;
      // Four pixels walk the tree together: independent chains of loads the CPU can overlap.
      for (; p + 4 <= n; p += 4) {
        const b0 = p * F;
        const b1 = b0 + F;
        const b2 = b1 + F;
        const b3 = b2 + F;
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        let f0 = feature[root];
        let f1 = f0;
        let f2 = f0;
        let f3 = f0;
        while (f0 >= 0 || f1 >= 0 || f2 >= 0 || f3 >= 0) {
          if (f0 >= 0) {
            n0 = left[n0] + (x[b0 + f0] > threshold[n0] ? 1 : 0);
            f0 = feature[n0];
          }
          if (f1 >= 0) {
            n1 = left[n1] + (x[b1 + f1] > threshold[n1] ? 1 : 0);
            f1 = feature[n1];
          }
          if (f2 >= 0) {
            n2 = left[n2] + (x[b2 + f2] > threshold[n2] ? 1 : 0);
            f2 = feature[n2];
          }
          if (f3 >= 0) {
            n3 = left[n3] + (x[b3 + f3] > threshold[n3] ? 1 : 0);
            f3 = feature[n3];
          }
        }
        const a = p * K;
        for (let k = 0; k < K; k++) {
          acc[a + k] += value[n0 * K + k];
          acc[a + K + k] += value[n1 * K + k];
          acc[a + 2 * K + k] += value[n2 * K + k];
          acc[a + 3 * K + k] += value[n3 * K + k];
        }
      }
      for (; p < n; p++) {
        const base = p * F;
        let node = root;
        let f = feature[node];
        while (f >= 0) {
          node = left[node] + (x[base + f] > threshold[node] ? 1 : 0);
          f = feature[node];
        }
        const v = node * K;
        const a = p * K;
        for (let k = 0; k < K; k++) acc[a + k] += value[v + k];
      }
    }
    for (let k = 0; k < K; k++) for (let p = 0; p < n; p++) out[k * pixels + p0 + p] = acc[p * K + k] * scale;
  }
  return out;
}

/** The most probable class (1-based, ties to the lower class) of each pixel from planar probabilities. */
export function argmaxClasses(probabilities: Float32Array, classCount: number, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    let best = 0;
    let bestValue = probabilities[p];
    for (let k = 1; k < classCount; k++) {
      const v = probabilities[k * pixels + p];
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    out[p] = best + 1;
  }
  return out;
}
