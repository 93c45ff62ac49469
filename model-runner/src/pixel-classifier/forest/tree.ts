/**
 * One classification tree (CART) grown the way scikit-learn's
 * RandomForestClassifier grows its trees by default: Gini impurity, at each
 * node a random subset of √features candidate features (more are drawn
 * when none of them can split), thresholds halfway between consecutive
 * distinct values, grown until the leaves are pure or cannot be split.
 * Leaves hold class fractions; a forest averages them.
 *
 * The split search sorts (value, class) pairs packed into one float64 key
 * per sample — the float32 value mapped to an order-preserving uint32,
 * times 256, plus the class — so a native numeric sort does the work.
 */
import { Random } from './random.js';

/** Training data: `values[sample * features + feature]`, classes 0..K−1. */
export interface TrainingSet {
  values: Float32Array;
  classes: Uint8Array;
  samples: number;
  features: number;
  classCount: number;
}

/** A grown tree as flat arrays: a node with feature −1 is a leaf. */
export interface TreeArrays {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Class fractions per node, `value[node * classCount + k]` (leaves only are used). */
  value: Float32Array;
}

export interface TreeOptions {
  /** Candidate features per split (default √features, rounded down, at least 1). */
  featuresPerSplit?: number;
  /** Draw a bootstrap sample of the training set (default true). */
  bootstrap?: boolean;
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** float32 → uint32 with the same order (negative values flipped). */
function sortableBits(v: number): number {
  scratch[0] = v;
  const b = scratchBits[0];
  return b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
}

function fromSortableBits(u: number): number {
  scratchBits[0] = u & 0x80000000 ? (u & 0x7fffffff) >>> 0 : ~u >>> 0;
  return scratch[0];
}

export function growTree(data: TrainingSet, random: Random, options: TreeOptions = {}): TreeArrays {
  const { values, classes, samples, features, classCount } = data;
  if (classCount > 256) throw new RangeError('at most 256 classes');
  const mtry = Math.max(1, Math.min(features, options.featuresPerSplit ?? Math.floor(Math.sqrt(features))));
  // The samples of this tree (a bootstrap draw, with repeats).
  const n = samples;
  const index = new Uint32Array(n);
  if (options.bootstrap === false) for (let i = 0; i < n; i++) index[i] = i;
  else for (let i = 0; i < n; i++) index[i] = random.below(samples);

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const keys = new Float64Array(n);
  const order = new Int32Array(features);
  for (let f = 0; f < features; f++) order[f] = f;
  const leftCounts = new Float64Array(classCount);
  const total = new Float64Array(classCount);
  const tmp = new Uint32Array(n);

  // Depth-first with an explicit stack of [start, end, node].
  const newNode = () => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    for (let k = 0; k < classCount; k++) value.push(0);
    return feature.length - 1;
  };
  const stack: number[] = [0, n, newNode()];
  while (stack.length) {
    const node = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const count = end - start;
    total.fill(0);
    for (let i = start; i < end; i++) total[classes[index[i]]]++;
    let present = 0;
    for (let k = 0; k < classCount; k++) {
      value[node * classCount + k] = total[k] / count;
      if (total[k] > 0) present++;
    }
    if (present <= 1 || count < 2) continue;

    // Parent score Σ n_k² / n; a split is better when Σ L_k²/nL + Σ R_k²/nR is larger.
    let parentScore = 0;
    for (let k = 0; k < classCount; k++) parentScore += (total[k] * total[k]) / count;
    let bestScore = parentScore + 1e-12 * count;
    let bestFeature = -1;
    let bestThreshold = 0;
    let examined = 0;
    for (let drawn = 0; drawn < features && (examined < mtry || bestFeature < 0); drawn++) {
      const pick = drawn + random.below(features - drawn);
      const f = order[pick];
      order[pick] = order[drawn];
      order[drawn] = f;
      for (let i = start; i < end; i++) {
        const s = index[i];
        keys[i - start] = sortableBits(values[s * features + f]) * 256 + classes[s];
      }
      const sorted = keys.subarray(0, count).sort();
      const firstBits = Math.floor(sorted[0] / 256);
      const lastBits = Math.floor(sorted[count - 1] / 256);
      if (firstBits === lastBits) continue; // constant feature here: does not count
      examined++;
      leftCounts.fill(0);
      let sumLeft = 0; // Σ L_k²
      let sumRight = 0; // Σ R_k²
      for (let k = 0; k < classCount; k++) sumRight += total[k] * total[k];
      for (let i = 0; i < count - 1; i++) {
        const key = sorted[i];
        const bits = Math.floor(key / 256);
        const k = key - bits * 256;
        const l = leftCounts[k];
        const r = total[k] - l;
        sumLeft += 2 * l + 1;
        sumRight -= 2 * r - 1;
        leftCounts[k] = l + 1;
        const nextBits = Math.floor(sorted[i + 1] / 256);
        if (nextBits === bits) continue;
        const nl = i + 1;
        const score = sumLeft / nl + sumRight / (count - nl);
        if (score > bestScore) {
          bestScore = score;
          bestFeature = f;
          const a = fromSortableBits(bits);
          const b = fromSortableBits(nextBits);
          let t = a / 2 + b / 2;
          if (t >= b) t = a; // halfway rounded onto b: keep b on the right
          bestThreshold = t;
        }
      }
    }
    if (bestFeature < 0) continue;
    // Partition [start, end) by the split, stable.
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const s = index[i];
      if (values[s * features + bestFeature] <= bestThreshold) index[l++] = s;
      else tmp[r++] = s;
    }
    index.set(tmp.subarray(0, r), l);
    feature[node] = bestFeature;
    threshold[node] = bestThreshold;
    const leftNode = newNode();
    const rightNode = newNode();
    left[node] = leftNode;
    right[node] = rightNode;
    stack.push(l, end, rightNode, start, l, leftNode);
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
  };
}
