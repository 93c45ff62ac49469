import { describe, expect, it } from 'vitest';
import { argmaxClasses, packForest, predictProbabilities, trainForest, growTrees } from './forest.js';
import { trainForestParallel } from './train-parallel.js';
import { Random } from './random.js';
import type { TrainingSet } from './tree.js';

/** Two noisy blobs and a ring in 5 features (2 informative, 3 noise). */
function toyData(samples: number, seed = 7): TrainingSet & { points: Float32Array } {
  const random = new Random(seed);
  const features = 5;
  const values = new Float32Array(samples * features);
  const classes = new Uint8Array(samples);
  for (let s = 0; s < samples; s++) {
    const k = s % 3;
    const angle = (random.nextUint32() / 2 ** 32) * 2 * Math.PI;
    const radius = k === 2 ? 3 + random.nextUint32() / 2 ** 32 : random.nextUint32() / 2 ** 32;
    values[s * features] = (k === 1 ? 1.2 : 0) + radius * Math.cos(angle);
    values[s * features + 1] = radius * Math.sin(angle);
    for (let f = 2; f < features; f++) values[s * features + f] = random.nextUint32() / 2 ** 32;
    classes[s] = k;
  }
  return { values, classes, samples, features, classCount: 3, points: values };
}

function planar(data: TrainingSet): Float32Array {
  const out = new Float32Array(data.values.length);
  for (let s = 0; s < data.samples; s++) for (let f = 0; f < data.features; f++) out[f * data.samples + s] = data.values[s * data.features + f];
  return out;
}

describe('random forest', () => {
  it('draws the same numbers for the same seed and stream, others for others', () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Random(1, 2)));
    const b = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Random(1, 2)));
    const c = Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Random(1, 3)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const r = new Random(3);
    for (let i = 0; i < 1000; i++) expect(r.below(7)).toBeLessThan(7);
  });

  it('grows pure leaves on separable data (Gini, thresholds halfway between values)', () => {
    const data: TrainingSet = { values: Float32Array.of(0, 1, 2, 10, 11, 12), classes: Uint8Array.of(0, 0, 0, 1, 1, 1), samples: 6, features: 1, classCount: 2 };
    const [tree] = growTrees(data, 0, 0, 1, { bootstrap: false });
    expect(tree.feature[0]).toBe(0);
    expect(tree.threshold[0]).toBe(6);
    const forest = packForest([tree], 2, 1);
    const p = predictProbabilities(forest, Float32Array.of(5.9, 6, 6.1), 3);
    expect([...p]).toEqual([1, 1, 0, 0, 0, 1]);
    expect([...argmaxClasses(p, 2, 3)]).toEqual([1, 1, 2]);
  });

  it('splits exactly between neighbouring float32 values', () => {
    const a = Math.fround(1.1);
    const bits = new Float32Array([a]);
    new Int32Array(bits.buffer)[0] += 1;
    const b = bits[0];
    const data: TrainingSet = { values: Float32Array.of(a, a, b, b), classes: Uint8Array.of(0, 0, 1, 1), samples: 4, features: 1, classCount: 2 };
    const forest = packForest(growTrees(data, 0, 0, 1, { bootstrap: false }), 2, 1);
    expect(forest.threshold[0]).toBeGreaterThanOrEqual(a);
    expect(forest.threshold[0]).toBeLessThan(b);
    expect([...argmaxClasses(predictProbabilities(forest, Float32Array.of(a, b, -b, 2 * b), 4), 2, 4)]).toEqual([1, 2, 1, 2]);
  });

  it('learns a non-linear problem and reports class fractions that sum to one', () => {
    const train = toyData(600);
    const test = toyData(300, 99);
    const forest = trainForest(train, { trees: 30, seed: 1 });
    const p = predictProbabilities(forest, planar(test), test.samples);
    const predicted = argmaxClasses(p, 3, test.samples);
    const accuracy = predicted.filter((c, i) => c === test.classes[i] + 1).length / test.samples;
    expect(accuracy).toBeGreaterThan(0.9);
    for (let i = 0; i < test.samples; i++) expect(p[i] + p[test.samples + i] + p[2 * test.samples + i]).toBeCloseTo(1, 5);
  });

  it('is reproducible with a seed, the same on the worker pool as on one thread', async () => {
    const data = toyData(400);
    const a = trainForest(data, { trees: 12, seed: 5 });
    const b = await trainForestParallel(data, { trees: 12, seed: 5, workers: 2 });
    const c = trainForest(data, { trees: 12, seed: 6 });
    expect(b).toEqual(a);
    expect(c.threshold).not.toEqual(a.threshold);
  });

  it('refuses features of the wrong size', () => {
    const forest = trainForest(toyData(30), { trees: 2 });
    expect(() => predictProbabilities(forest, new Float32Array(7), 2)).toThrow(RangeError);
  });
});
